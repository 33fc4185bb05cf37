# English messages of the dashboard domain: the same keys as vi/dashboard.ftl.
