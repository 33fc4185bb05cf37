# English messages of the system domain: the same keys as vi/system.ftl.

# Where a keyed refusal points: a row of a file, a column or a form field.
at-row-column = Row { $row }, column “{ $column }”: { $text }
at-row = Row { $row }: { $text }
at-column = “{ $column }”: { $text }

# The JSON API's refusals of a request it cannot read (problem+json titles and field messages).
api-bad-request = Bad request
api-invalid-input = Invalid input
api-not-found = No such address in the API
api-method-not-allowed = This address does not take this method
api-too-large = Request too large
api-unsupported-media-type = Unsupported content type
api-too-many-requests = Too many requests, try again later
api-busy = Server busy, try again later
api-record-not-found = Not found
api-forbidden = Forbidden
api-conflict = Conflict with stored data
api-login-required = Authentication required
api-csrf-missing = CSRF token missing
api-internal = Internal error
api-body-not-json = The body is not valid JSON ({ $reason })
api-body-json-content-type = Send the header Content-Type: application/json
api-body-unreadable = The request body could not be read (too large, cut off or sent too slowly)
api-field-invalid = Invalid value ({ $reason })
api-field-missing = This field is required
api-field-unknown = Unknown field

# Pages.
app-tagline = Smart-village platform
nav-home = Home
nav-menu = Menu
nav-units = Administrative units
nav-api = API
nav-skip = Skip to main content
lang-other = Tiếng Việt
lang-other-code = vi
demo-banner = DEMO — villages, households and devices are synthetic; only administrative units and codes are real.
home-title = Langso — digital village
home-intro = Runs the "Smart Village" programme: administrative units, households, community digital teams, criteria, procedure QR codes, devices and village groups.
home-units = Browse the administrative tree, search it and follow mergers
home-api = API documentation (OpenAPI)
error-title = Something went wrong
error-not-found = This page or record was not found.
error-invalid = The input is not valid.
error-internal = A system error occurred. Please try again later.
error-summary = There is a problem
error-back = Back to the home page
error-forbidden = You are not allowed to do this.
error-signed-out = Your access no longer works. Please sign in again.
error-csrf = The form has expired. Reload the page and try again.
nav-login = Log in
nav-logout = Log out
nav-account = Account
nav-users = Users
nav-audit = Audit log
nav-qr = Procedure QR codes
nav-round = My round
nav-households = Households
nav-progress = Progress
nav-groups = Village groups
nav-announcements = Announcements
nav-dashboard = Dashboard
nav-teams = Digital teams
nav-criteria = Criteria
upload-unreadable = Cannot read the upload
form-unreadable = Cannot read the form sent: open the page again and resend it

# pages: households (also the API's household and asset uploads)
upload-no-file = No file chosen
pager-prev = ← Previous
pager-next = Next →
pager-label = Pages
crumbs-label = Breadcrumb

# h20d: alerts to whoever runs the installation
ops-banner-title = System operation alerts
ops-banner-more = See all alerts
ops-alerts-title = Operation alerts
ops-alerts-open = Happening now
ops-alerts-past = Over (last 30 days)
ops-alerts-none = No alerts.
ops-alerts-opened = Started
ops-alerts-last-seen = last seen
ops-alerts-resolved = over at
ops-alerts-last-backup = Latest successful backup:
ops-alerts-no-backup = No successful backup recorded yet.
ops-alert-backup = Backing up into { $subject } failed (latest attempt { $seen }). Check that the folder is writable and has room.
ops-alert-disk = The disk holding { $subject } is { $percent }% full; only { $free } free.
ops-alert-broker = The MQTT broker { $subject } has been unreachable since { $since }: device data is not arriving.
ops-alert-database = Server { $subject } has not reached the database since { $since }.
ops-alert-outbox-webhooks = Messages to other systems (webhooks) are piling up: the oldest has waited since { $waiting }; { $failed } failed in the last 24 hours.
ops-alert-outbox-messages = Zalo, SMS and e-mail messages are piling up: the oldest has waited since { $waiting }; { $failed } failed in the last 24 hours.
ops-alert-certificate = The security certificate { $subject } expires at { $expiry }: renew it.
ops-alert-certificate-unreadable = The security certificate { $subject } cannot be read: check the file.
ops-alert-unknown = An operation problem since { $since }.
