# Vietnamese messages of the auth domain: keys raised by langso-app and langso-web.

# Trang (pages).
login-title = Đăng nhập
login-login = Tên đăng nhập
login-password = Mật khẩu
login-button = Đăng nhập
login-rejected = Sai tên đăng nhập hoặc mật khẩu.
login-throttled = Thử sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại.
login-demo = Tài khoản DEMO (mật khẩu chung bên dưới)
login-demo-password = Mật khẩu
account-title = Tài khoản của tôi
account-roles = Vai trò
account-pii = Được xem số CCCD và số điện thoại đầy đủ
account-password-title = Đổi mật khẩu
account-password-current = Mật khẩu hiện tại
account-password-new = Mật khẩu mới (ít nhất 10 ký tự)
account-password-button = Đổi mật khẩu
account-password-done = Đã đổi mật khẩu. Hãy đăng nhập lại.
users-title = Người dùng
users-create = Tạo tài khoản
users-display-name = Họ và tên
users-role = Vai trò
users-unit = Đơn vị (mã)
users-pii = Cho xem số CCCD và điện thoại đầy đủ
users-button = Tạo
users-disabled = đã khóa
users-disable = Khóa tài khoản và kết thúc mọi phiên
users-created = Đã tạo tài khoản.
users-none = Chưa có tài khoản nào trong phạm vi của bạn.
role-admin = Quản trị
role-officer = Cán bộ
role-village-head = Trưởng thôn
role-team-member = Tổ viên CNSCĐ
role-viewer = Người xem

# pages: auth (and the accounts API)
users-role-unknown = Không có vai trò “{ $role }”
# Refusals from langso-app and langso-domain
auth-role-unknown = vai trò không hợp lệ: "{ $value }" (admin, officer, village_head, team_member, viewer)
auth-login-invalid = tên đăng nhập 3–64 ký tự a-z, 0-9, . _ -
auth-password-length = mật khẩu cần 10–200 ký tự
auth-name-length = cần 1–120 ký tự
auth-login-taken = tên đăng nhập đã có
auth-cannot-disable-self = không thể tự khóa tài khoản của mình
auth-current-password-wrong = mật khẩu hiện tại không đúng
auth-token-kind-invalid = phải là api hoặc device
auth-expiry-past = đã qua

# h15c: administration in the browser
users-temporary-shown-once = Mật khẩu tạm thời, chỉ hiện một lần này: hãy trao cho người dùng, họ sẽ đổi sau khi đăng nhập.
users-password-set = Đã đặt mật khẩu mới; các phiên đăng nhập của tài khoản đã kết thúc.
users-no-roles = Tài khoản này chưa có vai trò nào.
users-revoke = Thu hồi
users-grant = Cấp vai trò
users-grant-button = Cấp
users-grant-too-much = Không thể cấp vai trò này trên đơn vị này: vượt quá quyền của bạn tại đó
users-reset = Đặt lại mật khẩu
users-reset-password = Mật khẩu mới
users-reset-hint = Nhập ít nhất 10 ký tự, hoặc để trống để nhận mật khẩu tạm thời.
users-reset-button = Đặt lại mật khẩu
users-disable-title = Khóa tài khoản
auth-reset-own-password = hãy đổi mật khẩu của chính bạn ở trang tài khoản
# h17d: a manager sets an account's contacts
users-contacts = Liên hệ nhận thông báo
users-contacts-email = Địa chỉ thư điện tử
users-contacts-phone = Số điện thoại
users-contacts-phone-masked = Đã lưu số (che bớt). Để trống để giữ nguyên, hoặc nhập số mới:
users-contacts-button = Lưu liên hệ
users-contacts-saved = Đã lưu liên hệ.
