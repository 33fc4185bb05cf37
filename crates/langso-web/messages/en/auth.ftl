# English messages of the auth domain: the same keys as vi/auth.ftl.
