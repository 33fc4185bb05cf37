# English messages of the assets domain: the same keys as vi/assets.ftl.
