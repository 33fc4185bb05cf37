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
audit-action = Hành động (tiền tố)
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
