# English messages of the audit domain: the same keys as vi/audit.ftl.
