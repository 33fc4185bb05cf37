# English messages of the households domain: the same keys as vi/households.ftl.
