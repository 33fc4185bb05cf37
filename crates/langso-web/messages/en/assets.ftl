# English messages of the assets domain: the same keys as vi/assets.ftl.

# Telemetry: a reading's own time outside the window around the server's clock.
assets-reading-ahead = The reading's time is more than { $minutes } minutes ahead of the server's clock
assets-reading-too-old = The reading's time is more than { $days } days old
