# English messages of the auth domain: the same keys as vi/auth.ftl.

# Pages.
login-title = Log in
login-login = Login
login-password = Password
login-button = Log in
login-rejected = Wrong login or password.
login-throttled = Too many failed attempts. Wait 15 minutes and try again.
login-demo = DEMO accounts (shared password below)
login-demo-password = Password
account-title = My account
account-roles = Roles
account-pii = May see full citizen-ID and phone numbers
account-password-title = Change password
account-password-current = Current password
account-password-new = New password (at least 10 characters)
account-password-button = Change password
account-password-done = Password changed. Please log in again.
users-title = Users
users-create = Create an account
users-display-name = Full name
users-role = Role
users-unit = Unit (code)
users-pii = May see full citizen-ID and phone numbers
users-button = Create
users-disabled = disabled
users-disable = Disable the account and end its sessions
users-created = Account created.
users-none = No accounts in your scope yet.
role-admin = Administrator
role-officer = Officer
role-village-head = Village head
role-team-member = Digital team member
role-viewer = Viewer

# pages: auth (and the accounts API)
users-role-unknown = There is no role “{ $role }”
# Refusals from langso-app and langso-domain
auth-role-unknown = unknown role: "{ $value }" (admin, officer, village_head, team_member, viewer)
auth-login-invalid = a login needs 3–64 characters of a-z, 0-9, . _ -
auth-password-length = a password needs 10–200 characters
auth-name-length = needs 1–120 characters
auth-login-taken = this login is taken
auth-cannot-disable-self = you cannot disable yourself
auth-current-password-wrong = the current password is wrong
auth-token-kind-invalid = must be api or device
auth-expiry-past = already past

# h15c: administration in the browser
users-temporary-shown-once = Temporary password, shown only this once: give it to the holder, who changes it after signing in.
users-password-set = The new password is set; the account's sessions have ended.
users-no-roles = This account holds no role.
users-revoke = Revoke
users-grant = Grant a role
users-grant-button = Grant
users-grant-too-much = You cannot grant this role on this unit: it is more than you hold there
users-reset = Reset the password
users-reset-password = New password
users-reset-hint = Type one of at least 10 characters, or leave this empty to get a temporary password.
users-reset-button = Reset the password
users-disable-title = Disable
auth-reset-own-password = change your own password on your account page
# h17d: a manager sets an account's contacts
users-contacts = Contacts for notices
users-contacts-email = E-mail address
users-contacts-phone = Phone number
users-contacts-phone-masked = A number is stored (partly hidden). Leave this empty to keep it, or type a new one:
users-contacts-button = Save the contacts
users-contacts-saved = The contacts are saved.
