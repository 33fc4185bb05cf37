# English messages of the audit domain: the same keys as vi/audit.ftl.

# What an audit entry records, by its action name.
audit-action-other = Other action
audit-action-alarms-acknowledge = Acknowledged an alarm
audit-action-alarms-resolve = Resolved an alarm
audit-action-announcement-create = Drafted an announcement
audit-action-announcement-approve = Approved an announcement
audit-action-announcement-reject = Rejected an announcement
audit-action-assets-import = Imported assets
audit-action-assets-replace-lamp = Replaced a lamp
audit-action-assets-update = Updated an asset
audit-action-audit-export = Exported the audit log
audit-action-criteria-evidence-approve = Approved evidence
audit-action-criteria-evidence-upload = Uploaded evidence
audit-action-criteria-import = Imported a criteria set
audit-action-faults-report = Received a fault report
audit-action-faults-transition = Moved a work order on
audit-action-group-create = Created a village group
audit-action-group-members-add = Added group members
audit-action-group-members-remove = Removed group members
audit-action-household-assign = Assigned a household
audit-action-household-create = Added a household
audit-action-household-erase = Erased a household's personal data
audit-action-household-export = Exported households
audit-action-household-import = Imported households
audit-action-household-subject-export = Exported a data subject's data
audit-action-household-update = Updated a household
audit-action-household-view-unmasked = Viewed unmasked numbers
audit-action-household-visit = Recorded a visit
audit-action-outreach-record = Recorded outreach
audit-action-placements-create = Placed a QR code
audit-action-procedures-publish = Published a procedure version
audit-action-recognition-propose = Proposed a village for recognition
audit-action-recognition-approve = Recognised a smart village
audit-action-recognition-revoke = Revoked a recognition
audit-action-report-export = Downloaded a report
audit-action-session-login = Logged in
audit-action-team-create = Set up a team
audit-action-team-member-add = Added a team member
audit-action-token-create = Created an API token
audit-action-token-revoke = Revoked an API token
audit-action-units-import = Imported units
audit-action-units-reorganise = Reorganised units
audit-action-user-create = Created an account
audit-action-user-disable = Disabled an account
audit-action-user-grant = Granted a role
audit-action-user-revoke = Revoked a role
audit-action-user-pii = Changed the personal-data right
audit-action-user-reset-password = Reset a password
audit-action-user-change-password = Changed a password
audit-action-webhook-create = Added a webhook
audit-action-webhook-deactivate = Switched a webhook off
audit-action-placements-activate = Put a QR code back up
audit-action-placements-deactivate = Took a QR code down
audit-action-household-list-unmasked = Viewed the household list unmasked
audit-action-household-round-unmasked = Viewed a round unmasked
audit-action-team-members-unmasked = Viewed team members unmasked

# Pages.
audit-title = Audit log
audit-action = Action
audit-from = From
audit-to = To
audit-filter = Filter
audit-export = Download CSV
audit-at = When
audit-actor = Who
audit-target = Target
audit-summary = Summary
audit-none = No entries.

# pages: audit (and the audit API)
audit-moment-invalid = Not a day or a moment: “{ $text }” (YYYY-MM-DD or RFC 3339)
audit-target-other = Other item
audit-target-alarm = Alarm
audit-target-announcement = Announcement
audit-target-asset = Asset
audit-target-audit-log = Audit log
audit-target-criteria-set = Criteria set
audit-target-evidence = Evidence
audit-target-group = Village group
audit-target-household = Household
audit-target-monthly-report = Monthly report
audit-target-outreach = Outreach activity
audit-target-placement = QR code
audit-target-procedure = Procedure
audit-target-reorganisation = Reorganisation
audit-target-team = Team
audit-target-token = API key
audit-target-unit = Unit
audit-target-user = Account
audit-target-village = Village
audit-target-webhook = Webhook
audit-target-work-order = Work order
audit-target-session = Session
audit-area-all = Everything
audit-area-household = Households
audit-area-user = Accounts
audit-area-session = Sign-ins
audit-area-token = API keys
audit-area-team = Teams
audit-area-outreach = Outreach
audit-area-group = Village groups
audit-area-announcement = Announcements
audit-area-units = Administrative units
audit-area-criteria = Criteria
audit-area-recognition = Village recognition
audit-area-procedures = Procedures
audit-area-placements = QR codes
audit-area-assets = Assets
audit-area-alarms = Alarms
audit-area-faults = Repairs
audit-area-webhook = Webhooks
audit-area-report = Reports
audit-area-audit = Audit log

# h16a: followers, duplicates, moderation
audit-action-faults-follow = A resident followed a report
audit-action-faults-duplicate = Marked a report as a duplicate
audit-action-faults-moderate = Hid a report's text or photo
# h16b: service levels and the reporter's answer
audit-action-faults-reopen = The reporter said the fault is still there
audit-action-faults-confirm = The reporter confirmed the fix
audit-action-faults-service-level = Set response and repair times
# h15b: plans and targets
audit-action-plan-create = Entered a plan
audit-action-plan-target = Set a plan's target

# h17c: consent, contacts, notification preferences
audit-action-household-consent-given = Recorded a household's consent to be contacted
audit-action-household-consent-withdrawn = Recorded a household's withdrawal of consent to be contacted
audit-action-user-contacts = Changed the e-mail and phone for notifications
audit-action-user-preferences = Changed how notifications are received
# h17a: channels
audit-action-channel-settings = Saved channel settings
audit-action-channel-template = Saved a ZNS template
audit-target-channel = Channel
# lead: announcements posted to Zalo groups, radio slots
audit-action-announcement-zalo-posted = Marked an announcement posted to a Zalo group
audit-action-radio-slot-add = Added a radio broadcast slot
audit-action-radio-slot-remove = Removed a radio broadcast slot

# h21a: consent per person, scans, the printable form
audit-action-household-consent-scan = Uploaded a consent form's scan
audit-action-household-consent-scan-view = Opened a consent form's scan
audit-action-household-consent-form = Printed a household's consent form
