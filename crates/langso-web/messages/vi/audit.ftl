# Vietnamese messages of the audit domain: keys raised by langso-app and langso-web.

# What an audit entry records, by its action name.
audit-action-other = Thao tác khác
audit-action-alarms-acknowledge = Xác nhận cảnh báo
audit-action-alarms-resolve = Xử lý xong cảnh báo
audit-action-announcement-create = Soạn thông báo
audit-action-announcement-approve = Duyệt thông báo
audit-action-announcement-reject = Từ chối thông báo
audit-action-assets-import = Nhập danh sách thiết bị
audit-action-assets-replace-lamp = Thay bóng đèn
audit-action-assets-update = Sửa thông tin thiết bị
audit-action-audit-export = Tải nhật ký
audit-action-criteria-evidence-approve = Duyệt minh chứng
audit-action-criteria-evidence-upload = Tải lên minh chứng
audit-action-criteria-import = Nhập bộ tiêu chí
audit-action-faults-report = Tiếp nhận phản ánh hỏng hóc
audit-action-faults-transition = Chuyển trạng thái phiếu sửa chữa
audit-action-group-create = Lập nhóm thôn
audit-action-group-members-add = Thêm thành viên nhóm
audit-action-group-members-remove = Bớt thành viên nhóm
audit-action-household-assign = Giao hộ cho tổ viên
audit-action-household-create = Thêm hộ
audit-action-household-erase = Xóa dữ liệu cá nhân của hộ
audit-action-household-export = Xuất danh sách hộ
audit-action-household-import = Nhập danh sách hộ
audit-action-household-subject-export = Xuất dữ liệu cho chủ thể
audit-action-household-update = Sửa thông tin hộ
audit-action-household-view-unmasked = Xem số điện thoại, CCCD đầy đủ
audit-action-household-visit = Ghi lượt đến hộ
audit-action-outreach-record = Ghi hoạt động tuyên truyền
audit-action-placements-create = Đặt mã QR
audit-action-procedures-publish = Công bố phiên bản thủ tục
audit-action-recognition-propose = Đề nghị công nhận thôn
audit-action-recognition-approve = Công nhận thôn thông minh
audit-action-recognition-revoke = Thu hồi công nhận
audit-action-report-export = Tải báo cáo
audit-action-session-login = Đăng nhập
audit-action-team-create = Thành lập tổ
audit-action-team-member-add = Thêm tổ viên
audit-action-token-create = Tạo khóa API
audit-action-token-revoke = Thu hồi khóa API
audit-action-units-import = Nhập đơn vị hành chính
audit-action-units-reorganise = Sắp xếp đơn vị hành chính
audit-action-user-create = Tạo tài khoản
audit-action-user-disable = Khóa tài khoản
audit-action-user-grant = Cấp quyền
audit-action-user-revoke = Thu hồi quyền
audit-action-user-pii = Đổi quyền xem dữ liệu cá nhân
audit-action-user-reset-password = Đặt lại mật khẩu
audit-action-user-change-password = Đổi mật khẩu
audit-action-webhook-create = Thêm webhook
audit-action-webhook-deactivate = Tắt webhook
audit-action-placements-activate = Đặt lại mã QR
audit-action-placements-deactivate = Gỡ mã QR
audit-action-household-list-unmasked = Xem danh sách hộ với số đầy đủ
audit-action-household-round-unmasked = Xem lượt thăm với số đầy đủ
audit-action-team-members-unmasked = Xem danh sách tổ viên với số đầy đủ

# Trang (pages).
audit-title = Nhật ký thay đổi
audit-action = Hành động
audit-from = Từ ngày
audit-to = Đến ngày
audit-filter = Lọc
audit-export = Tải CSV
audit-at = Thời điểm
audit-actor = Người thực hiện
audit-target = Đối tượng
audit-summary = Tóm tắt
audit-none = Không có mục nào.

# pages: audit (and the audit API)
audit-moment-invalid = Không phải ngày hay thời điểm: “{ $text }” (NNNN-TT-NN hoặc RFC 3339)
audit-target-other = Đối tượng khác
audit-target-alarm = Cảnh báo
audit-target-announcement = Thông báo
audit-target-asset = Thiết bị
audit-target-audit-log = Nhật ký
audit-target-criteria-set = Bộ tiêu chí
audit-target-evidence = Minh chứng
audit-target-group = Nhóm thôn
audit-target-household = Hộ
audit-target-monthly-report = Báo cáo tháng
audit-target-outreach = Hoạt động tuyên truyền
audit-target-placement = Mã QR
audit-target-procedure = Thủ tục
audit-target-reorganisation = Sắp xếp đơn vị
audit-target-team = Tổ
audit-target-token = Khóa API
audit-target-unit = Đơn vị
audit-target-user = Tài khoản
audit-target-village = Thôn
audit-target-webhook = Webhook
audit-target-work-order = Phiếu sửa chữa
audit-target-session = Phiên đăng nhập
audit-area-all = Mọi việc
audit-area-household = Hộ gia đình
audit-area-user = Tài khoản
audit-area-session = Đăng nhập
audit-area-token = Khóa API
audit-area-team = Tổ CNSCĐ
audit-area-outreach = Tuyên truyền
audit-area-group = Nhóm thôn
audit-area-announcement = Thông báo
audit-area-units = Đơn vị hành chính
audit-area-criteria = Tiêu chí
audit-area-recognition = Công nhận thôn
audit-area-procedures = Thủ tục
audit-area-placements = Mã QR
audit-area-assets = Thiết bị
audit-area-alarms = Cảnh báo
audit-area-faults = Sửa chữa
audit-area-webhook = Webhook
audit-area-report = Báo cáo
audit-area-audit = Nhật ký

# h16a: followers, duplicates, moderation
audit-action-faults-follow = Người dân theo dõi phản ánh
audit-action-faults-duplicate = Đánh dấu phản ánh trùng
audit-action-faults-moderate = Ẩn nội dung, ảnh phản ánh
# h16b: service levels and the reporter's answer
audit-action-faults-reopen = Người báo hỏng báo sự cố vẫn còn
audit-action-faults-confirm = Người báo hỏng xác nhận đã sửa
audit-action-faults-service-level = Đặt thời hạn phản hồi và sửa chữa
# h15b: plans and targets
audit-action-plan-create = Nhập kế hoạch
audit-action-plan-target = Đặt chỉ tiêu của kế hoạch

# h17c: consent, contacts, notification preferences
audit-action-household-consent-given = Ghi nhận hộ đồng ý nhận liên hệ
audit-action-household-consent-withdrawn = Ghi nhận hộ rút lại đồng ý nhận liên hệ
audit-action-user-contacts = Đổi thư điện tử, số điện thoại nhận thông báo
audit-action-user-preferences = Đổi cách nhận thông báo
# h17a: channels
audit-action-channel-settings = Lưu thiết lập kênh gửi tin
audit-action-channel-template = Lưu mẫu tin ZNS
audit-target-channel = Kênh gửi tin
# lead: announcements posted to Zalo groups, radio slots
audit-action-announcement-zalo-posted = Đánh dấu đã đăng thông báo lên nhóm Zalo
audit-action-radio-slot-add = Thêm khung giờ phát thanh
audit-action-radio-slot-remove = Bỏ khung giờ phát thanh

# h21a: consent per person, scans, the printable form
audit-action-household-consent-scan = Tải lên bản quét phiếu đồng ý
audit-action-household-consent-scan-view = Xem bản quét phiếu đồng ý
audit-action-household-consent-form = In phiếu đồng ý của hộ
