# English messages of the units domain: the same keys as vi/units.ftl.
