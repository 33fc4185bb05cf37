# Vietnamese messages of the assets domain: keys raised by langso-app and langso-web.

# Telemetry: a reading's own time outside the window around the server's clock.
assets-reading-ahead = Thời điểm của bản tin đi trước đồng hồ máy chủ hơn { $minutes } phút
assets-reading-too-old = Thời điểm của bản tin cũ hơn { $days } ngày
