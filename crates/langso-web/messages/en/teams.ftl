# English messages of the teams domain: the same keys as vi/teams.ftl.

# Pages.
teams-title = Community digital teams
teams-none = No digital team yet.
teams-name = Team name
teams-unit = Unit
teams-decision = Founding decision
teams-decision-number = Decision number
teams-decision-date = Decision date
teams-members = Members
teams-new = Set up a digital team
teams-create = Set up
teams-roster = Members
teams-masked = Phone numbers are masked (no right to personal data).
teams-full-name = Full name
teams-role = Role
teams-affiliation = Affiliation
teams-phone = Phone
teams-joined-on = Joined on
teams-add-member = Add a member
teams-add = Add
outreach-title = Trainings and outreach
outreach-window = Events of the last three years, newest first.
outreach-none = No event recorded yet.
outreach-held-on = Date
outreach-kind = Kind
outreach-topic = Topic
outreach-attendance = Attendance
outreach-public = Show on the village's public feed
outreach-new = Record an event
outreach-record = Record
outreach-attendance-not-number = Attendance must be a number

# pages: teams
teams-count-n = { $n ->
    [one] { $n } team
   *[other] { $n } teams
}
teams-name-default = Leave empty for the default name: "community digital team" and the unit's name, in Vietnamese
teams-date-invalid = Enter a valid date
teams-role-leader = Leader
teams-role-deputy = Deputy
teams-role-member = Member
teams-affiliation-youth-union = Youth union
teams-affiliation-womens-union = Women's union
teams-affiliation-party-cell = Party cell
teams-affiliation-police = Police
teams-affiliation-teacher = Teacher
teams-affiliation-other = Other
outreach-kind-training = Training
outreach-kind-conference = Conference
outreach-kind-billboard = Billboard
outreach-kind-loudspeaker = Loudspeaker broadcast
# Refusals from langso-app and langso-domain
teams-value-unknown = unknown value: "{ $value }" ({ $accepted })
teams-text-required = required, at most { $max } characters
teams-attendance-range = attendance must be 0–100000
teams-unit-level = teams are set up in a commune or a village
teams-unit-not-in-force = the unit did not exist on the decision date
teams-decision-date-invalid = the decision date is not valid
teams-unit-has-team = the unit already has a team
teams-joined-on-invalid = the joining date is not valid
