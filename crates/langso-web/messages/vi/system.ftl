# Vietnamese messages of the system domain: keys raised by langso-app and langso-web.

# Where a keyed refusal points: a row of a file, a column or a form field.
at-row-column = Dòng { $row }, cột “{ $column }”: { $text }
at-row = Dòng { $row }: { $text }
at-column = “{ $column }”: { $text }

# The JSON API's refusals of a request it cannot read (problem+json titles and field messages).
api-bad-request = Yêu cầu không hợp lệ
api-invalid-input = Dữ liệu không hợp lệ
api-not-found = Không có địa chỉ này trong API
api-method-not-allowed = Địa chỉ này không nhận phương thức này
api-too-large = Yêu cầu quá lớn
api-unsupported-media-type = Kiểu nội dung không được hỗ trợ
api-too-many-requests = Quá nhiều yêu cầu, xin thử lại sau
api-busy = Máy chủ đang bận, xin thử lại sau
api-record-not-found = Không tìm thấy
api-forbidden = Không có quyền
api-conflict = Xung đột với dữ liệu đã có
api-login-required = Cần đăng nhập
api-csrf-missing = Thiếu mã CSRF
api-internal = Lỗi hệ thống
api-body-not-json = Nội dung không phải JSON hợp lệ ({ $reason })
api-body-json-content-type = Cần gửi tiêu đề Content-Type: application/json
api-body-unreadable = Không đọc được nội dung yêu cầu (quá lớn, bị ngắt hoặc gửi quá chậm)
api-field-invalid = Giá trị không hợp lệ ({ $reason })
api-field-missing = Thiếu trường bắt buộc này
api-field-unknown = Trường này không được nhận

# Trang (pages).
app-tagline = Nền tảng thôn thông minh
nav-home = Trang chủ
nav-menu = Danh mục
nav-units = Đơn vị hành chính
nav-api = API
nav-skip = Chuyển đến nội dung chính
lang-other = English
lang-other-code = en
demo-banner = DEMO — thôn, hộ và thiết bị là dữ liệu mô phỏng; chỉ đơn vị hành chính và mã là thật.
home-title = Langso — làng số
home-intro = Quản lý chương trình "Thôn thông minh": đơn vị hành chính, hộ gia đình, tổ công nghệ số cộng đồng, tiêu chí, mã QR thủ tục, thiết bị và nhóm thôn.
home-units = Xem cây đơn vị hành chính, tìm kiếm và lịch sử sáp nhập
home-api = Tài liệu API (OpenAPI)
error-title = Có lỗi
error-not-found = Không tìm thấy trang hoặc dữ liệu này.
error-invalid = Dữ liệu không hợp lệ.
error-internal = Lỗi hệ thống. Vui lòng thử lại sau.
error-summary = Có vấn đề cần sửa
error-back = Về trang chủ
error-forbidden = Bạn không có quyền làm việc này.
error-signed-out = Quyền truy cập của bạn không còn hiệu lực. Hãy đăng nhập lại.
error-csrf = Biểu mẫu đã hết hạn. Hãy tải lại trang và thử lại.
nav-login = Đăng nhập
nav-logout = Đăng xuất
nav-account = Tài khoản
nav-users = Người dùng
nav-audit = Nhật ký
nav-qr = Mã QR thủ tục
nav-round = Lượt thăm của tôi
nav-households = Hộ gia đình
nav-progress = Tiến độ
nav-groups = Nhóm thôn
nav-announcements = Thông báo
nav-dashboard = Bảng điều khiển
nav-teams = Tổ CNSCĐ
nav-criteria = Tiêu chí
upload-unreadable = Không đọc được tệp gửi lên
form-unreadable = Không đọc được biểu mẫu gửi lên: hãy mở lại trang và gửi lại

# pages: households (also the API's household and asset uploads)
upload-no-file = Chưa chọn tệp
pager-prev = ← Trang trước
pager-next = Trang sau →
pager-label = Các trang
crumbs-label = Đường dẫn

# h20d: alerts to whoever runs the installation
ops-banner-title = Cảnh báo vận hành hệ thống
ops-banner-more = Xem tất cả cảnh báo
ops-alerts-title = Cảnh báo vận hành
ops-alerts-open = Đang xảy ra
ops-alerts-past = Đã hết (30 ngày qua)
ops-alerts-none = Không có cảnh báo nào.
ops-alerts-opened = Bắt đầu
ops-alerts-last-seen = ghi nhận lần cuối
ops-alerts-resolved = đã hết lúc
ops-alerts-last-backup = Lần sao lưu thành công gần nhất:
ops-alerts-no-backup = Chưa ghi nhận lần sao lưu thành công nào.
ops-alert-backup = Sao lưu dữ liệu vào { $subject } không thành công (lần thử gần nhất { $seen }). Kiểm tra quyền ghi và chỗ trống của thư mục.
ops-alert-disk = Ổ đĩa chứa { $subject } đã dùng { $percent }%, chỉ còn trống { $free }.
ops-alert-broker = Không kết nối được máy chủ MQTT { $subject } từ { $since }: dữ liệu từ thiết bị không về được.
ops-alert-database = Máy chủ { $subject } không kết nối được cơ sở dữ liệu từ { $since }.
ops-alert-outbox-webhooks = Tin gửi sang hệ thống khác (webhook) bị ùn: tin cũ nhất chờ gửi từ { $waiting }; { $failed } tin gửi hỏng trong 24 giờ qua.
ops-alert-outbox-messages = Tin nhắn Zalo, SMS, thư điện tử bị ùn: tin cũ nhất chờ gửi từ { $waiting }; { $failed } tin gửi hỏng trong 24 giờ qua.
ops-alert-certificate = Chứng chỉ bảo mật { $subject } hết hạn lúc { $expiry }: cần gia hạn.
ops-alert-certificate-unreadable = Không đọc được chứng chỉ bảo mật { $subject }: kiểm tra tệp.
ops-alert-unknown = Có sự cố vận hành từ { $since }.
