# English messages of the faults domain: the same keys as vi/faults.ftl.

# Open311 POST requests: a form past a limit (public/open311_form.rs).
faults-open311-too-many-fields = The form has { $count } fields, more than the limit of { $limit }
faults-open311-field-too-long = Field “{ $field }” is longer than the limit of { $limit } bytes

# Pages.
fault-title = Report a fault
fault-asset = Asset code (on the sticker)
fault-service = What is wrong
fault-description = Description
fault-address = Address or place
fault-reporter = Name or phone (optional)
fault-send = Send the report
fault-status = Status
fault-due = Due by
work-new = New
work-assigned = Assigned
work-in-progress = In progress
work-fixed = Fixed
work-closed = Closed
fault = Device fault
orders-title = Work orders
orders-one = Work order
orders-none = No work order.
orders-requested = Reported
orders-assignee = Assignee
orders-position = Position
orders-reporter = Reporter
orders-media = Photo (link)
orders-photo = Photo sent by the reporter
orders-move = Move the order
orders-history = History
orders-public-note = Show this note to the reporter (no phone numbers or names)
orders-note-public = public
orders-when = When
orders-who = By
work-other = Other fault
fault-photo = Photo (optional; JPEG, PNG or WebP, 5 MB at most)

# pages: public (residents' fault form, Open311)
fault-photo-too-large = Photo too large ({ $limit } MB at most)
faults-open311-not-found = Not found
faults-open311-unknown-format = Unsupported format (only .json or .xml)
faults-open311-no-such-service = No such service
faults-open311-internal = Internal error
faults-open311-bad-date = Not a date (RFC 3339 / W3C): { $date }
faults-open311-asset = Asset code
faults-open311-asset-hint = The asset code on its sticker
# Refusals from langso-app and langso-domain
faults-service-unknown = unknown service
faults-description-length = at most { $limit } characters
faults-media-url-invalid = needs an http(s) URL
faults-too-long = too long
faults-photo-too-large = photo too large (5 MB at most)
faults-photo-type = the photo must be a JPEG, PNG or WebP image
faults-asset-not-found = no such asset
faults-location-required = needs a location, an address or an asset
faults-unit-not-found = no such unit
faults-status-corrupt = corrupt status
faults-status-unknown = unknown status
faults-assignee-required = needs an assignee
faults-order-moved-meanwhile = someone else just moved this order
faults-status-move-refused = cannot move { $from } → { $to }

# h16b: service levels, updates to the reporter, Open311 as clients expect it
faults-open311-jurisdiction = This server does not serve jurisdiction_id “{ $given }”
faults-open311-bad-status = Status “{ $status }” is not valid (only open or closed)
faults-open311-service-notice = Response within { $response } hours, repair within { $repair } hours
faults-open311-too-large = The body sent is too large (a photo of at most { $limit } MB)
faults-level-hours = hours must lie between 1 and 8784, the response time within the repair time
faults-answer-not-fixed = The fault has not been reported fixed yet: it cannot be confirmed or reopened
faults-answer-too-late = More than { $days } days have passed since the fix: it can no longer be confirmed or reopened. If the device is broken again, please send a new report.
faults-reopen-note-required = say what is still wrong
fault-respond-by = Response due
fault-answer = Has it been fixed?
fault-answer-hint = Within 14 days of the fix you may confirm it or say the fault is still there.
fault-confirm = Fixed well
fault-reopen = Still broken
fault-reopen-note = What is still wrong?
fault-feed = Follow with a news feed (Atom)
fault-feed-title = Fault report status
orders-overdue = Overdue
orders-overdue-only = Overdue orders only
orders-respond-by = Response due
orders-on-time = Work orders on time
orders-on-time-share = On-time share
orders-late = Late
orders-overdue-count = Orders overdue: { $count }
orders-notifications = Notifications waiting to be sent
