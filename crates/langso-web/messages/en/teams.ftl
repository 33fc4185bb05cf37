# English messages of the teams domain: the same keys as vi/teams.ftl.
