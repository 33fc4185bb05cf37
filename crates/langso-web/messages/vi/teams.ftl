# Vietnamese messages of the teams domain: keys raised by langso-app and langso-web.

# Trang (pages).
teams-title = Tổ công nghệ số cộng đồng
teams-none = Chưa có tổ CNSCĐ nào.
teams-name = Tên tổ
teams-unit = Đơn vị
teams-decision = Quyết định thành lập
teams-decision-number = Số quyết định
teams-decision-date = Ngày quyết định
teams-members = Số thành viên
teams-new = Thành lập tổ CNSCĐ
teams-create = Thành lập
teams-roster = Thành viên
teams-masked = Số điện thoại được che (không có quyền xem dữ liệu cá nhân).
teams-full-name = Họ và tên
teams-role = Vai trò
teams-affiliation = Đơn vị công tác / đoàn thể
teams-phone = Điện thoại
teams-joined-on = Ngày tham gia
teams-add-member = Thêm thành viên
teams-add = Thêm
outreach-title = Tập huấn và tuyên truyền
outreach-window = Các hoạt động trong ba năm gần nhất, mới nhất trước.
outreach-none = Chưa ghi nhận hoạt động nào.
outreach-held-on = Ngày
outreach-kind = Hình thức
outreach-topic = Chủ đề
outreach-attendance = Số người tham dự
outreach-public = Hiện trên bảng tin của thôn
outreach-new = Ghi nhận hoạt động
outreach-record = Ghi nhận
outreach-attendance-not-number = Số người tham dự phải là số

# pages: teams
teams-count-n = { $n } tổ
teams-name-default = Để trống: tên mặc định là "Tổ công nghệ số cộng đồng" và tên đơn vị
teams-date-invalid = Hãy nhập một ngày hợp lệ
teams-role-leader = Tổ trưởng
teams-role-deputy = Tổ phó
teams-role-member = Thành viên
teams-affiliation-youth-union = Đoàn thanh niên
teams-affiliation-womens-union = Hội phụ nữ
teams-affiliation-party-cell = Chi bộ
teams-affiliation-police = Công an
teams-affiliation-teacher = Giáo viên
teams-affiliation-other = Khác
outreach-kind-training = Tập huấn
outreach-kind-conference = Hội nghị
outreach-kind-billboard = Pano, áp phích
outreach-kind-loudspeaker = Phát thanh trên loa
# Refusals from langso-app and langso-domain
teams-value-unknown = giá trị không hợp lệ: "{ $value }" ({ $accepted })
teams-text-required = bắt buộc, tối đa { $max } ký tự
teams-attendance-range = số người tham dự 0–100000
teams-unit-level = tổ CNSCĐ chỉ lập ở xã hoặc thôn
teams-unit-not-in-force = đơn vị không tồn tại vào ngày quyết định
teams-decision-date-invalid = ngày quyết định không hợp lệ
teams-unit-has-team = đơn vị đã có tổ CNSCĐ
teams-joined-on-invalid = ngày tham gia không hợp lệ
