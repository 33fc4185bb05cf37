# English messages of the assets domain: the same keys as vi/assets.ftl.
assets-file-too-large = The file is over { $limit } MB
