//! The message catalogue: every string a person reads, in Vietnamese first and English second.
//! Handlers and templates name a key; nothing user-facing is written in a handler.

use axum::http::HeaderMap;

/// The language of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt: the default.
    Vi,
    /// English.
    En,
}

/// (key, Vietnamese, English).
const CATALOGUE: &[(&str, &str, &str)] = &[
    (
        "app.tagline",
        "Nền tảng thôn thông minh",
        "Smart-village platform",
    ),
    ("nav.home", "Trang chủ", "Home"),
    ("nav.units", "Đơn vị hành chính", "Administrative units"),
    ("nav.api", "API", "API"),
    (
        "nav.skip",
        "Chuyển đến nội dung chính",
        "Skip to main content",
    ),
    ("lang.other", "English", "Tiếng Việt"),
    ("lang.other.code", "en", "vi"),
    (
        "demo.banner",
        "DEMO — thôn, hộ và thiết bị là dữ liệu mô phỏng; chỉ đơn vị hành chính và mã là thật.",
        "DEMO — villages, households and devices are synthetic; only administrative units and codes are real.",
    ),
    ("home.title", "Langso — làng số", "Langso — digital village"),
    (
        "home.intro",
        "Quản lý chương trình \"Thôn thông minh\": đơn vị hành chính, hộ gia đình, tổ công nghệ số cộng đồng, tiêu chí, mã QR thủ tục, thiết bị và nhóm thôn.",
        "Runs the \"Smart Village\" programme: administrative units, households, community digital teams, criteria, procedure QR codes, devices and village groups.",
    ),
    (
        "home.units",
        "Xem cây đơn vị hành chính, tìm kiếm và lịch sử sáp nhập",
        "Browse the administrative tree, search it and follow mergers",
    ),
    (
        "home.api",
        "Tài liệu API (OpenAPI)",
        "API documentation (OpenAPI)",
    ),
    ("units.title", "Đơn vị hành chính", "Administrative units"),
    ("units.search.label", "Tìm đơn vị", "Find a unit"),
    (
        "units.search.hint",
        "Tên hoặc mã, có dấu hay không dấu đều được (ví dụ: song phuong, 09829)",
        "Name or code, with or without diacritics (e.g. song phuong, 09829)",
    ),
    ("units.search.button", "Tìm", "Search"),
    ("units.date.label", "Tại ngày", "As of"),
    (
        "units.date.hint",
        "Ngày theo dạng NNNN-TT-NN; để trống là hôm nay",
        "Date as YYYY-MM-DD; empty means today",
    ),
    (
        "units.date.error",
        "Ngày không hợp lệ: hãy nhập theo dạng NNNN-TT-NN, ví dụ 2025-06-01",
        "Invalid date: enter it as YYYY-MM-DD, e.g. 2025-06-01",
    ),
    ("units.date.show", "Xem", "Show"),
    ("units.results", "Kết quả tìm kiếm", "Search results"),
    (
        "units.no_results",
        "Không tìm thấy đơn vị nào.",
        "No unit found.",
    ),
    ("units.tree", "Cây đơn vị", "Unit tree"),
    ("units.as_of", "tại ngày", "as of"),
    ("units.under", "trực thuộc", "under"),
    ("units.closed", "đã giải thể / sáp nhập", "closed / merged"),
    ("unit.code", "Mã", "Code"),
    ("unit.kind", "Cấp", "Level"),
    ("unit.valid", "Hiệu lực", "In force"),
    ("unit.now", "nay", "now"),
    ("unit.note", "Ghi chú", "Note"),
    ("unit.children", "Đơn vị trực thuộc", "Units under it"),
    ("unit.none", "Không có.", "None."),
    ("unit.counts", "Tổng số đơn vị bên dưới", "All units below"),
    ("unit.parents", "Lịch sử trực thuộc", "Parent history"),
    (
        "unit.lineage",
        "Nguồn gốc và kế thừa",
        "Where it came from and went",
    ),
    ("unit.came_from", "Hình thành từ", "Formed from"),
    ("unit.went_to", "Sáp nhập vào", "Merged into"),
    ("unit.share.whole", "toàn bộ", "whole"),
    ("unit.share.part", "một phần", "part"),
    ("unit.unverified", "chưa xác minh", "unverified"),
    ("unit.basis", "Căn cứ", "Basis"),
    (
        "unit.same_code",
        "Cùng mã ở thời kỳ khác",
        "Same code in another period",
    ),
    ("unit.coordinates", "Toạ độ", "Coordinates"),
    ("kind.province", "Tỉnh / thành phố", "Province"),
    ("kind.district", "Huyện / quận", "District"),
    ("kind.commune", "Xã", "Commune"),
    ("kind.ward", "Phường", "Ward"),
    ("kind.town", "Thị trấn", "Town"),
    ("kind.special_zone", "Đặc khu", "Special zone"),
    ("kind.village", "Thôn", "Village"),
    ("kind.street_group", "Tổ dân phố", "Street group"),
    (
        "kind.residential_cluster",
        "Cụm dân cư",
        "Residential cluster",
    ),
    ("kind.hamlet", "Xóm", "Hamlet"),
    ("error.title", "Có lỗi", "Something went wrong"),
    (
        "error.not_found",
        "Không tìm thấy trang hoặc dữ liệu này.",
        "This page or record was not found.",
    ),
    (
        "error.invalid",
        "Dữ liệu không hợp lệ.",
        "The input is not valid.",
    ),
    (
        "error.internal",
        "Lỗi hệ thống. Vui lòng thử lại sau.",
        "A system error occurred. Please try again later.",
    ),
    ("error.summary", "Có vấn đề cần sửa", "There is a problem"),
    ("error.back", "Về trang chủ", "Back to the home page"),
    (
        "error.forbidden",
        "Bạn không có quyền làm việc này.",
        "You are not allowed to do this.",
    ),
    (
        "error.csrf",
        "Biểu mẫu đã hết hạn. Hãy tải lại trang và thử lại.",
        "The form has expired. Reload the page and try again.",
    ),
    ("nav.login", "Đăng nhập", "Log in"),
    ("nav.logout", "Đăng xuất", "Log out"),
    ("nav.account", "Tài khoản", "Account"),
    ("nav.users", "Người dùng", "Users"),
    ("nav.audit", "Nhật ký", "Audit log"),
    ("login.title", "Đăng nhập", "Log in"),
    ("login.login", "Tên đăng nhập", "Login"),
    ("login.password", "Mật khẩu", "Password"),
    ("login.button", "Đăng nhập", "Log in"),
    (
        "login.rejected",
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong login or password.",
    ),
    (
        "login.throttled",
        "Thử sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại.",
        "Too many failed attempts. Wait 15 minutes and try again.",
    ),
    (
        "login.demo",
        "Tài khoản DEMO (mật khẩu chung bên dưới)",
        "DEMO accounts (shared password below)",
    ),
    ("login.demo.password", "Mật khẩu", "Password"),
    ("account.title", "Tài khoản của tôi", "My account"),
    ("account.roles", "Vai trò", "Roles"),
    (
        "account.pii",
        "Được xem số CCCD và số điện thoại đầy đủ",
        "May see full citizen-ID and phone numbers",
    ),
    ("account.password.title", "Đổi mật khẩu", "Change password"),
    (
        "account.password.current",
        "Mật khẩu hiện tại",
        "Current password",
    ),
    (
        "account.password.new",
        "Mật khẩu mới (ít nhất 10 ký tự)",
        "New password (at least 10 characters)",
    ),
    ("account.password.button", "Đổi mật khẩu", "Change password"),
    (
        "account.password.done",
        "Đã đổi mật khẩu. Hãy đăng nhập lại.",
        "Password changed. Please log in again.",
    ),
    ("users.title", "Người dùng", "Users"),
    ("users.create", "Tạo tài khoản", "Create an account"),
    ("users.display_name", "Họ và tên", "Full name"),
    ("users.role", "Vai trò", "Role"),
    ("users.unit", "Đơn vị (mã)", "Unit (code)"),
    (
        "users.unit.hint",
        "Mã đơn vị đang hiệu lực, ví dụ 09817 hoặc 09805-T01",
        "Code of a unit in force, e.g. 09817 or 09805-T01",
    ),
    (
        "users.pii",
        "Cho xem số CCCD và điện thoại đầy đủ",
        "May see full citizen-ID and phone numbers",
    ),
    ("users.button", "Tạo", "Create"),
    ("users.disabled", "đã khóa", "disabled"),
    (
        "users.disable",
        "Khóa tài khoản và kết thúc mọi phiên",
        "Disable the account and end its sessions",
    ),
    ("users.created", "Đã tạo tài khoản.", "Account created."),
    (
        "users.none",
        "Chưa có tài khoản nào trong phạm vi của bạn.",
        "No accounts in your scope yet.",
    ),
    ("role.admin", "Quản trị", "Administrator"),
    ("role.officer", "Cán bộ", "Officer"),
    ("role.village_head", "Trưởng thôn", "Village head"),
    ("role.team_member", "Tổ viên CNSCĐ", "Digital team member"),
    ("role.viewer", "Người xem", "Viewer"),
    ("audit.title", "Nhật ký thay đổi", "Audit log"),
    ("audit.action", "Hành động (tiền tố)", "Action (prefix)"),
    ("audit.from", "Từ ngày", "From"),
    ("audit.to", "Đến ngày", "To"),
    ("audit.filter", "Lọc", "Filter"),
    ("audit.export", "Tải CSV", "Download CSV"),
    ("audit.at", "Thời điểm", "When"),
    ("audit.actor", "Người thực hiện", "Who"),
    ("audit.target", "Đối tượng", "Target"),
    ("audit.summary", "Tóm tắt", "Summary"),
    ("audit.none", "Không có mục nào.", "No entries."),
    (
        "guide.brand",
        "Hướng dẫn thủ tục hành chính",
        "Administrative procedure guides",
    ),
    (
        "guide.footer",
        "Không cần đăng nhập. Trang này không lưu thông tin cá nhân của bạn.",
        "No login needed. This page keeps no personal data about you.",
    ),
    ("guide.code", "Mã thủ tục", "Procedure code"),
    (
        "guide.file_online",
        "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
        "File online on the national public-service portal",
    ),
    (
        "guide.vneid",
        "Dịch vụ liên thông trên VNeID",
        "Linked service in VNeID",
    ),
    (
        "guide.vneid.link",
        "Về ứng dụng VNeID",
        "About the VNeID app",
    ),
    ("guide.steps", "Các bước thực hiện", "Steps"),
    (
        "guide.in_vietnamese",
        "Các bước chỉ có bằng tiếng Việt.",
        "These steps are only available in Vietnamese.",
    ),
    ("guide.fee", "Lệ phí", "Fee"),
    (
        "guide.fee.verbatim",
        "Trích nguyên văn từ quy định, kèm các trường hợp được miễn.",
        "Quoted word for word from the regulation (in Vietnamese), with its exemptions.",
    ),
    (
        "guide.documents",
        "Giấy tờ cần mang",
        "Documents to bring (as named in Vietnamese)",
    ),
    ("guide.where", "Nơi nộp hồ sơ", "Where to file"),
    (
        "guide.channel.one_stop",
        "Bộ phận một cửa Ủy ban nhân dân xã",
        "The commune's one-stop office (UBND xã)",
    ),
    (
        "guide.channel.portal",
        "Trực tuyến trên Cổng Dịch vụ công quốc gia",
        "Online on the national public-service portal",
    ),
    (
        "guide.channel.vneid",
        "Ứng dụng VNeID (tài khoản định danh điện tử mức 2)",
        "The VNeID app (level 2 e-ID account)",
    ),
    ("guide.time", "Thời hạn giải quyết", "Processing time"),
    ("guide.basis", "Căn cứ pháp lý", "Legal basis"),
    ("guide.related", "Thủ tục liên quan", "Related procedures"),
    ("guide.version", "Phiên bản", "Version"),
    ("guide.effective", "áp dụng từ", "in force from"),
    ("guide.all", "Tất cả thủ tục", "All procedures"),
    (
        "guide.list.title",
        "Thủ tục hành chính",
        "Administrative procedures",
    ),
    ("guide.list.at", "Tại", "At"),
    ("nav.qr", "Mã QR thủ tục", "Procedure QR codes"),
    ("place.cultural_house", "Nhà văn hóa", "Cultural house"),
    (
        "place.one_stop_office",
        "Bộ phận một cửa",
        "One-stop office",
    ),
    ("place.public_place", "Nơi công cộng", "Public place"),
    ("place.alley_entrance", "Đầu ngõ", "Alley entrance"),
    ("place.billboard", "Pano", "Billboard"),
    ("qr.title", "Điểm đặt mã QR", "QR placements"),
    ("qr.new", "Thêm điểm đặt mã QR", "Add a QR placement"),
    ("qr.create", "Tạo điểm đặt", "Create the placement"),
    ("qr.analytics", "Thống kê lượt quét", "Scan analytics"),
    (
        "qr.posters",
        "Tải tất cả áp phích (PDF)",
        "Download every poster (PDF)",
    ),
    ("qr.guides", "Hướng dẫn công khai", "Public guides"),
    ("qr.none", "Chưa có điểm đặt mã QR.", "No QR placement yet."),
    ("qr.label", "Địa điểm", "Place"),
    (
        "qr.label.hint",
        "Tên người dân quen gọi, ví dụ: Nhà văn hóa thôn Tháp Thượng",
        "The name residents know, e.g. Nhà văn hóa thôn Tháp Thượng",
    ),
    ("qr.kind", "Loại địa điểm", "Kind of place"),
    ("qr.unit", "Đơn vị", "Unit"),
    ("qr.procedures", "Thủ tục", "Procedures"),
    ("qr.short_url", "Đường dẫn ngắn", "Short URL"),
    ("qr.inactive", "đã gỡ", "taken down"),
    (
        "qr.latitude",
        "Vĩ độ (không bắt buộc)",
        "Latitude (optional)",
    ),
    (
        "qr.longitude",
        "Kinh độ (không bắt buộc)",
        "Longitude (optional)",
    ),
    ("qr.coordinates", "Tọa độ", "Coordinates"),
    ("qr.downloads", "Tải về", "Downloads"),
    ("qr.poster", "Áp phích A4 (PDF)", "A4 poster (PDF)"),
    ("qr.svg", "ảnh vector", "vector image"),
    ("qr.deactivate", "Gỡ áp phích", "Take the poster down"),
    ("qr.activate", "Đặt lại áp phích", "Put the poster back up"),
    ("qr.days", "Số ngày gần nhất", "Last days"),
    ("qr.show", "Xem", "Show"),
    ("qr.total", "Tổng lượt quét", "Scans in all"),
    (
        "qr.with_qr",
        "Số thủ tục có mã QR",
        "Procedures with a QR code",
    ),
    (
        "qr.chart.procedures",
        "Lượt quét theo thủ tục",
        "Scans per procedure",
    ),
    (
        "qr.chart.procedures.hint",
        "Một lượt quét tại điểm có nhiều thủ tục được tính cho mỗi thủ tục.",
        "A scan at a place offering several procedures counts for each of them.",
    ),
    (
        "qr.chart.units",
        "Lượt quét theo thôn, tổ dân phố",
        "Scans per village",
    ),
    (
        "qr.top",
        "Điểm được quét nhiều nhất",
        "Most scanned placements",
    ),
    ("qr.scans", "Lượt quét", "Scans"),
    (
        "qr.silent",
        "Không có lượt quét trong 30 ngày",
        "No scan in 30 days",
    ),
    (
        "qr.silent.none",
        "Điểm nào cũng có lượt quét trong 30 ngày qua.",
        "Every placement was scanned in the last 30 days.",
    ),
    ("qr.last_scan", "Lần quét cuối", "Last scan"),
    ("qr.never", "chưa bao giờ", "never"),
    (
        "history.title",
        "Lịch sử phiên bản thủ tục",
        "Procedure version history",
    ),
    (
        "history.public",
        "Xem hướng dẫn đang áp dụng",
        "See the guide in force",
    ),
    ("history.name", "Tên", "Name"),
    ("history.steps", "Số bước", "Steps"),
    ("history.note", "Ghi chú", "Note"),
    ("history.recorded", "Ngày ghi nhận", "Recorded on"),
    (
        "history.new",
        "Ban hành phiên bản mới",
        "Publish a new version",
    ),
    (
        "version.title",
        "Phiên bản mới của hướng dẫn",
        "New version of the guide",
    ),
    (
        "version.hint",
        "Phiên bản cũ được giữ nguyên. Người dân thấy phiên bản mới từ ngày áp dụng.",
        "The old versions are kept. Residents see the new one from its effective date.",
    ),
    ("version.effective_from", "Ngày áp dụng", "In force from"),
    (
        "version.name_vi",
        "Tên thủ tục (tiếng Việt)",
        "Name (Vietnamese)",
    ),
    (
        "version.name_en",
        "Tên thủ tục (tiếng Anh)",
        "Name (English)",
    ),
    (
        "version.steps_vi",
        "Các bước (tiếng Việt)",
        "Steps (Vietnamese)",
    ),
    (
        "version.steps_en",
        "Các bước (tiếng Anh, cùng số bước)",
        "Steps (English, as many as in Vietnamese)",
    ),
    (
        "version.one_per_line",
        "Mỗi dòng một mục.",
        "One item per line.",
    ),
    (
        "version.verbatim",
        "Ghi nguyên văn theo văn bản quy định.",
        "Quote the regulation word for word.",
    ),
    (
        "version.exemptions",
        "Trường hợp được miễn (nguyên văn)",
        "Exemptions (verbatim)",
    ),
    (
        "version.time_vi",
        "Thời hạn giải quyết (tiếng Việt)",
        "Processing time (Vietnamese)",
    ),
    (
        "version.time_en",
        "Thời hạn giải quyết (tiếng Anh)",
        "Processing time (English)",
    ),
    (
        "version.vneid_vi",
        "Dịch vụ liên thông VNeID (tiếng Việt)",
        "Linked VNeID service (Vietnamese)",
    ),
    (
        "version.vneid_en",
        "Dịch vụ liên thông VNeID (tiếng Anh)",
        "Linked VNeID service (English)",
    ),
    ("version.publish", "Ban hành", "Publish"),
    ("nav.round", "Lượt thăm của tôi", "My round"),
    ("nav.households", "Hộ gia đình", "Households"),
    ("nav.progress", "Tiến độ", "Progress"),
    ("hh.title", "Hộ gia đình", "Households"),
    (
        "hh.search",
        "Tìm hộ theo tên, địa chỉ hoặc mã",
        "Find a household by name, address or code",
    ),
    ("hh.code", "Mã hộ", "Code"),
    ("hh.head", "Chủ hộ", "Head of household"),
    ("hh.representative", "Người đại diện", "Representative"),
    ("hh.phone", "Số điện thoại", "Phone"),
    ("hh.citizen_id", "Số CCCD", "Citizen ID"),
    ("hh.address", "Địa chỉ", "Address"),
    ("hh.village", "Thôn", "Village"),
    ("hh.members", "Nhân khẩu", "Members"),
    ("hh.adults", "Người lớn", "Adults"),
    ("hh.business", "Hộ kinh doanh", "Business household"),
    ("hh.consent", "Đồng ý xử lý dữ liệu", "Consent"),
    (
        "hh.masked",
        "Số điện thoại và CCCD được che vì bạn không có quyền xem đầy đủ.",
        "Phone and citizen-ID numbers are masked: you do not hold the right to see them.",
    ),
    (
        "hh.values",
        "Chuyển đổi số hiện tại",
        "Current digital adoption",
    ),
    ("hh.visits", "Lịch sử thăm hộ", "Visit history"),
    ("hh.no_visits", "Chưa có lần thăm nào.", "No visits yet."),
    ("hh.visit", "Ghi nhận lần thăm", "Record a visit"),
    ("hh.last_visit", "Lần thăm gần nhất", "Last visit"),
    ("hh.follow_up", "Hẹn quay lại", "Follow-up"),
    ("hh.none", "Không có hộ nào.", "No households."),
    ("hh.erased", "đã ẩn danh", "anonymised"),
    ("hh.help", "Hỗ trợ đã làm", "Help given"),
    ("hh.notes", "Ghi chú", "Notes"),
    ("hh.visited_on", "Ngày thăm", "Visit date"),
    ("hh.save", "Lưu lần thăm", "Save the visit"),
    ("hh.yes", "Có", "Yes"),
    ("hh.no", "Không", "No"),
    ("hh.overdue", "quá hẹn", "overdue"),
    ("hh.never", "chưa thăm", "not visited"),
    ("round.title", "Lượt thăm của tôi", "My round"),
    (
        "round.empty",
        "Chưa có hộ nào được giao cho bạn.",
        "No households are assigned to you yet.",
    ),
    (
        "progress.title",
        "Tiến độ chuyển đổi số",
        "Digital adoption progress",
    ),
    ("progress.households", "Số hộ", "Households"),
    ("progress.visited", "Đã thăm", "Visited"),
    ("progress.indicator", "Chỉ số", "Indicator"),
    ("progress.share", "Tỷ lệ", "Share"),
    (
        "progress.children",
        "Theo đơn vị trực thuộc",
        "By unit below",
    ),
    ("progress.members", "Theo thành viên tổ", "By team member"),
    ("progress.visits", "Lần thăm", "Visits"),
    ("progress.months", "Theo tháng", "By month"),
    // --- households import/export ---
    (
        "hhimport.title",
        "Nhập danh sách hộ từ tệp",
        "Import households from a file",
    ),
    ("hhimport.upload", "Chọn tệp", "Choose a file"),
    (
        "hhimport.help",
        "Tệp Excel (.xlsx, trang đầu) hoặc CSV, dòng đầu là tiêu đề: Mã hộ, Họ và tên chủ hộ, Thôn (hoặc Mã thôn), Số thành viên; thêm nếu có: Xóm, Ngõ, Số nhà, Số điện thoại, Số CCCD, Số người lớn, Hộ kinh doanh, Ngày đồng ý, Ghi chú. Cột theo thứ tự nào cũng được. Hệ thống kiểm tra trước, chưa ghi gì.",
        "An Excel file (.xlsx, first sheet) or CSV whose first row holds the headers: Mã hộ, Họ và tên chủ hộ, Thôn (or Mã thôn), Số thành viên; optionally Xóm, Ngõ, Số nhà, Số điện thoại, Số CCCD, Số người lớn, Hộ kinh doanh, Ngày đồng ý, Ghi chú. Any column order. The file is checked first; nothing is written yet.",
    ),
    (
        "hhimport.unit",
        "Mã xã hoặc thôn",
        "Commune or village code",
    ),
    ("hhimport.file", "Tệp", "File"),
    ("hhimport.check", "Kiểm tra", "Check"),
    ("hhimport.preview", "Kết quả kiểm tra", "Check result"),
    ("hhimport.rows", "dòng", "rows"),
    ("hhimport.created", "hộ mới", "new"),
    ("hhimport.updated", "cập nhật", "updated"),
    ("hhimport.unchanged", "không đổi", "unchanged"),
    ("hhimport.ignored", "Bỏ qua các cột", "Ignored columns"),
    ("hhimport.confirm", "Xác nhận nhập", "Confirm the import"),
    (
        "hhimport.refused",
        "Tệp có ô sai, chưa ghi gì. Sửa các ô dưới đây rồi gửi lại",
        "The file has bad cells; nothing was written. Fix the cells below and upload again",
    ),
    ("hhimport.row", "Dòng", "Row"),
    ("hhimport.column", "Cột", "Column"),
    ("hhimport.problem", "Lỗi", "Problem"),
    ("hhimport.done", "Đã nhập vào", "Imported into"),
    ("hhimport.export_csv", "Xuất CSV", "Export CSV"),
    ("hhimport.export_xlsx", "Xuất Excel", "Export Excel"),
    // --- comms ---
    ("nav.groups", "Nhóm thôn", "Village groups"),
    ("nav.announcements", "Thông báo", "Announcements"),
    ("groups.title", "Nhóm thôn", "Village groups"),
    ("groups.none", "Chưa có nhóm nào.", "No groups yet."),
    ("groups.name", "Tên nhóm", "Group name"),
    ("groups.platform", "Nền tảng", "Platform"),
    ("groups.members", "Số hộ", "Households"),
    ("groups.admins", "Quản trị nhóm", "Administrators"),
    ("groups.link", "Liên kết hoặc mã nhóm", "Link or group id"),
    ("groups.new", "Thêm nhóm", "Add a group"),
    ("groups.create", "Tạo nhóm", "Create the group"),
    ("groups.bulk", "Thêm hộ vào nhóm", "Add households"),
    ("groups.codes", "Mã hộ", "Household codes"),
    (
        "groups.codes.hint",
        "Mỗi dòng một mã hộ (có thể dán từ Excel).",
        "One household code per line (paste from Excel).",
    ),
    ("groups.add", "Thêm vào nhóm", "Add to the group"),
    (
        "groups.roster",
        "Danh sách hộ trong nhóm",
        "Households in the group",
    ),
    (
        "groups.of_household",
        "Nhóm của hộ",
        "The household’s groups",
    ),
    (
        "groups.in_none",
        "Hộ chưa ở nhóm nào.",
        "The household is in no group.",
    ),
    (
        "groups.join",
        "Thêm đại diện hộ vào nhóm",
        "Add the representative to a group",
    ),
    (
        "groups.household_link",
        "Nhóm thôn của hộ",
        "Village groups of this household",
    ),
    ("platform.zalo", "Zalo", "Zalo"),
    ("platform.facebook", "Facebook", "Facebook"),
    ("platform.telegram", "Telegram", "Telegram"),
    ("platform.other", "Khác", "Other"),
    ("coverage.title", "Độ phủ nhóm thôn", "Group coverage"),
    (
        "coverage.total",
        "Số hộ có đại diện trong nhóm",
        "Households with a member in a group",
    ),
    ("coverage.village", "Thôn / tổ dân phố", "Village"),
    ("coverage.covered", "Hộ trong nhóm", "Households in a group"),
    (
        "coverage.uncovered",
        "Hộ chưa vào nhóm nào",
        "Households in no group",
    ),
    (
        "coverage.all_in",
        "Mọi hộ đều đã vào nhóm.",
        "Every household is in a group.",
    ),
    ("ann.title", "Thông báo", "Announcements"),
    ("ann.new", "Soạn thông báo", "Write an announcement"),
    ("ann.none", "Chưa có thông báo.", "No announcements yet."),
    ("ann.status", "Trạng thái", "Status"),
    ("ann.status.pending", "chờ duyệt", "awaiting approval"),
    ("ann.status.scheduled", "đã lên lịch", "scheduled"),
    ("ann.status.published", "đã đăng", "published"),
    ("ann.status.rejected", "bị từ chối", "refused"),
    ("ann.cat.guidance", "Hướng dẫn", "Guidance"),
    ("ann.cat.procedure", "Thủ tục", "Procedure"),
    ("ann.cat.security", "An ninh trật tự", "Security"),
    ("ann.cat.emergency", "Khẩn cấp", "Emergency"),
    ("ann.cat.event", "Sự kiện", "Event"),
    ("ann.field.title", "Tiêu đề", "Title"),
    ("ann.field.body", "Nội dung", "Body"),
    (
        "ann.field.body.hint",
        "Dòng trống để tách đoạn; dòng bắt đầu bằng \"- \" thành danh sách; **chữ đậm**.",
        "Blank line between paragraphs; lines starting with \"- \" make a list; **bold**.",
    ),
    ("ann.field.category", "Loại", "Category"),
    (
        "ann.field.link",
        "Liên kết hướng dẫn hoặc thủ tục",
        "Link to a guide or procedure",
    ),
    ("ann.field.indicator", "Chỉ gửi hộ", "Only to households"),
    (
        "ann.field.indicator.hint",
        "Thu hẹp theo chỉ số khảo sát, ví dụ người lớn chưa có VNeID mức 2.",
        "Narrow by a survey indicator, e.g. adults without VNeID level 2.",
    ),
    ("ann.everyone", "Mọi hộ", "Every household"),
    ("ann.lacking", "chưa đạt:", "lacking:"),
    ("ann.field.publish_at", "Thời điểm đăng", "Publish at"),
    (
        "ann.field.publish_at.hint",
        "Để trống để đăng ngay (giờ Việt Nam).",
        "Leave empty to publish now (Vietnam time).",
    ),
    (
        "ann.approval.hint",
        "Thông báo gửi rộng hơn một thôn cần cán bộ xã duyệt trước khi đăng.",
        "An announcement beyond one village needs an officer’s approval before it is published.",
    ),
    ("ann.submit", "Gửi thông báo", "Submit"),
    ("ann.author", "Người soạn", "Written by"),
    ("ann.approver", "Người duyệt", "Approved by"),
    ("ann.short", "Liên kết ngắn", "Short link"),
    ("ann.reach", "Phạm vi tiếp cận", "Reach"),
    ("ann.reach.groups", "nhóm", "groups"),
    ("ann.reach.members", "thành viên", "members"),
    ("ann.opens", "lượt mở", "opens"),
    ("ann.villages", "Thôn nhận", "Villages reached"),
    ("ann.households", "hộ", "households"),
    ("ann.approve", "Duyệt và đăng", "Approve and publish"),
    ("ann.reject", "Từ chối", "Refuse"),
    (
        "ann.delivery",
        "Tình trạng gửi theo kênh",
        "Delivery per channel",
    ),
    ("ann.not_published", "Chưa đăng.", "Not published yet."),
    ("ann.channel", "Kênh", "Channel"),
    ("ann.attempts", "Số lần gửi", "Attempts"),
    ("ann.last_error", "Lỗi gần nhất", "Last error"),
    ("ann.link", "Xem hướng dẫn", "Open the guide"),
    ("delivery.pending", "chờ gửi", "waiting"),
    ("delivery.sending", "đang gửi", "sending"),
    ("delivery.delivered", "đã gửi", "delivered"),
    ("delivery.failed", "gửi thất bại", "failed"),
    ("feed.title", "Bảng tin", "Notice board"),
    ("feed.atom", "Theo dõi (Atom)", "Follow (Atom)"),
    ("feed.none", "Chưa có thông báo.", "No announcements yet."),
    ("howto.title", "Hướng dẫn dùng dịch vụ số", "How-to guides"),
    (
        "howto.procedures",
        "Hướng dẫn thủ tục hành chính",
        "Procedure guides",
    ),
    ("howto.share", "Chia sẻ", "Share"),
    (
        "howto.share.button",
        "Gửi hướng dẫn này qua tin nhắn",
        "Send this guide by message",
    ),
    (
        "howto.share.hint",
        "Hoặc sao chép địa chỉ:",
        "Or copy the address:",
    ),
    (
        "howto.qr",
        "Quét mã để mở hướng dẫn trên điện thoại",
        "Scan to open the guide on a phone",
    ),
    ("howto.all", "Tất cả hướng dẫn", "All guides"),
    // --- assets ---
    ("fault.title", "Báo hỏng thiết bị", "Report a fault"),
    (
        "fault.asset",
        "Mã thiết bị (trên tem)",
        "Asset code (on the sticker)",
    ),
    ("fault.service", "Loại sự cố", "What is wrong"),
    ("fault.description", "Mô tả", "Description"),
    ("fault.address", "Địa chỉ, vị trí", "Address or place"),
    (
        "fault.reporter",
        "Tên hoặc số điện thoại (không bắt buộc)",
        "Name or phone (optional)",
    ),
    ("fault.send", "Gửi báo hỏng", "Send the report"),
    ("fault.status", "Tình trạng xử lý", "Status"),
    ("fault.due", "Hạn xử lý", "Due by"),
    ("work.new", "Mới tiếp nhận", "New"),
    ("work.assigned", "Đã giao người xử lý", "Assigned"),
    ("work.in_progress", "Đang xử lý", "In progress"),
    ("work.fixed", "Đã sửa xong", "Fixed"),
    ("work.closed", "Đã đóng", "Closed"),
    ("assets.title", "Thiết bị", "Assets"),
    ("assets.kind", "Loại", "Kind"),
    ("assets.status", "Tình trạng", "Status"),
    ("assets.all", "Tất cả", "All"),
    ("assets.filter", "Lọc", "Filter"),
    ("assets.count", "thiết bị", "assets"),
    ("assets.code", "Mã", "Code"),
    ("assets.name", "Tên", "Name"),
    ("asset.kind.camera", "Camera an ninh", "Security camera"),
    (
        "asset.kind.solar_light",
        "Đèn năng lượng mặt trời",
        "Solar light",
    ),
    ("asset.kind.grid_light", "Đèn đường", "Street light"),
    ("asset.kind.wifi", "Điểm wifi", "Wifi point"),
    ("asset.kind.loudspeaker", "Loa truyền thanh", "Loudspeaker"),
    ("asset.kind.billboard", "Pano", "Billboard"),
    ("asset.status.ok", "Hoạt động tốt", "Working"),
    ("asset.status.fault", "Báo lỗi", "Fault"),
    ("asset.status.offline", "Mất kết nối", "Offline"),
    ("asset.status.down", "Ngừng hoạt động", "Down"),
    ("asset.status.broken", "Hỏng", "Broken"),
    ("asset.status.unknown", "Chưa có tín hiệu", "No reports"),
    ("alarms.title", "Cảnh báo thiết bị", "Device alarms"),
    (
        "alarms.none",
        "Không có cảnh báo nào đang mở.",
        "No open alarm.",
    ),
    ("alarms.kind", "Loại cảnh báo", "Alarm"),
    ("alarms.raised", "Lúc (UTC)", "Raised (UTC)"),
    ("alarms.ack", "Đã xem", "Acknowledged"),
    ("alarms.acknowledge", "Xác nhận đã xem", "Acknowledge"),
    ("alarms.resolve", "Đã xử lý", "Resolve"),
    ("alarms.note", "Ghi chú", "Note"),
    ("offline", "Mất kết nối", "Offline"),
    ("fault", "Lỗi thiết bị", "Device fault"),
    ("wifi.title", "Điểm wifi miễn phí", "Free wifi points"),
    (
        "wifi.intro",
        "Các điểm wifi miễn phí cho người dân, kèm tình trạng hiện tại.",
        "Free wifi points for residents, with their current state.",
    ),
    // --- teams, criteria, dashboard ---
    ("nav.dashboard", "Bảng điều khiển", "Dashboard"),
    (
        "dashboard.title",
        "Chương trình thôn thông minh",
        "Smart-village programme",
    ),
    ("dashboard.as_of", "Số liệu tính đến ngày", "Figures as of"),
    ("dashboard.show", "Xem", "Show"),
    (
        "dashboard.report_xlsx",
        "Báo cáo tháng (Excel)",
        "Monthly report (Excel)",
    ),
    (
        "dashboard.report_pdf",
        "Báo cáo tháng (PDF)",
        "Monthly report (PDF)",
    ),
    (
        "dashboard.commune_teams",
        "Tổ CNSCĐ cấp xã",
        "Commune digital teams",
    ),
    (
        "dashboard.village_teams",
        "Tổ CNSCĐ thôn, tổ dân phố, cụm dân cư",
        "Village-level digital teams",
    ),
    ("dashboard.members", "Thành viên tổ CNSCĐ", "Team members"),
    (
        "dashboard.smart_villages",
        "Thôn thông minh",
        "Smart villages",
    ),
    ("dashboard.groups", "Nhóm Zalo của thôn", "Village groups"),
    (
        "dashboard.wifi",
        "Điểm wifi công cộng miễn phí",
        "Free public wifi points",
    ),
    ("dashboard.cameras", "Camera an ninh", "Security cameras"),
    (
        "dashboard.solar",
        "Đèn năng lượng mặt trời",
        "Solar street lights",
    ),
    (
        "dashboard.qr_procedures",
        "Thủ tục hành chính có mã QR",
        "Procedures with QR guides",
    ),
    (
        "dashboard.coverage",
        "Hộ đã đến tận nhà",
        "Households visited door to door",
    ),
    (
        "dashboard.outreach",
        "Tập huấn · hội nghị · pano · phát thanh",
        "Trainings · conferences · billboards · broadcasts",
    ),
    (
        "dashboard.map",
        "Bản đồ thôn theo trạng thái",
        "Villages by status",
    ),
    ("dashboard.by_unit", "Theo đơn vị", "By unit"),
    (
        "dashboard.progress",
        "Tiến độ đến hộ theo thời gian",
        "Door-to-door progress over time",
    ),
    (
        "dashboard.indicators",
        "Tỉ lệ theo chỉ số",
        "Indicator shares",
    ),
    // --- webhooks page (issue 8b) ---
    ("webhooks.title", "Điểm nhận webhook", "Webhook endpoints"),
    (
        "webhooks.intro",
        "Bộ chuyển tiếp (Zalo OA, cổng SMS) nhận thông báo của đơn vị dưới dạng JSON có ký HMAC.",
        "Adapters (Zalo OA, SMS gateway) receive the unit's announcements as HMAC-signed JSON.",
    ),
    (
        "webhooks.none",
        "Chưa có điểm nhận nào.",
        "No endpoints yet.",
    ),
    ("webhooks.name", "Tên", "Name"),
    ("webhooks.url", "Địa chỉ", "Address"),
    ("webhooks.state", "Trạng thái", "State"),
    ("webhooks.active", "Đang nhận", "Active"),
    ("webhooks.inactive", "Đã tắt", "Switched off"),
    ("webhooks.new", "Thêm điểm nhận", "Add an endpoint"),
    (
        "webhooks.secret",
        "Khóa bí mật (để trống để tự tạo)",
        "Secret (leave empty to generate one)",
    ),
    ("webhooks.create", "Thêm", "Add"),
    (
        "webhooks.secret_once",
        "Khóa bí mật chỉ hiện một lần này; hãy chép vào bộ chuyển tiếp.",
        "The secret is shown this once; copy it into the adapter.",
    ),
    ("webhooks.deactivate", "Tắt điểm nhận", "Switch off"),
    (
        "webhooks.attempts",
        "Các lần gửi gần đây",
        "Recent delivery attempts",
    ),
    (
        "webhooks.no_attempts",
        "Chưa gửi lần nào.",
        "No attempts yet.",
    ),
    ("webhooks.at", "Lúc", "At"),
    ("webhooks.status", "Mã HTTP", "HTTP status"),
    ("webhooks.error", "Lỗi", "Error"),
    ("webhooks.duration", "Thời gian", "Duration"),
    // --- assets pages (issue 7c) ---
    (
        "assetimport.title",
        "Nhập danh sách thiết bị",
        "Import assets",
    ),
    (
        "assetimport.help",
        "Tệp Excel (.xlsx, trang tính đầu tiên) hoặc CSV; các cột theo thứ tự bất kỳ: Mã thiết bị, Mã thôn, Loại thiết bị, Tên, Loại vị trí, Vĩ độ, Kinh độ, Ngày lắp đặt, Nguồn kinh phí, Người quản lý, Trạng thái, Loại bóng, Người đóng góp (Tên: số tiền; …), Ghi chú. Có lỗi ở bất kỳ ô nào thì không nhập dòng nào.",
        "An Excel file (.xlsx, first sheet) or CSV; columns in any order: code, unit code, kind, name, place type, latitude, longitude, installed on, funding, keeper, status, lamp type, contributors (Name: amount; …), notes. A bad cell anywhere means no row is imported.",
    ),
    (
        "assetimport.ready",
        "không có lỗi, sẵn sàng nhập.",
        "no problem found, ready to import.",
    ),
    ("assetimport.done", "Đã nhập", "Imported"),
    (
        "fault.photo",
        "Ảnh (không bắt buộc; JPEG, PNG hoặc WebP, tối đa 5 MB)",
        "Photo (optional; JPEG, PNG or WebP, 5 MB at most)",
    ),
];
impl Lang {
    /// The catalogue text for `key`; "?" if missing (a test checks every key templates name).
    pub fn t(self, key: &str) -> &'static str {
        CATALOGUE
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("?", |(_, vi, en)| match self {
                Lang::Vi => vi,
                Lang::En => en,
            })
    }

    /// `vi` or `en`, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language chosen with the `lang` cookie; Vietnamese otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let chosen = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|pair| pair.trim().strip_prefix("lang="))
            .next_back();
        match chosen {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }
}

/// Every key, for tests that check templates only name existing keys.
pub fn keys() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|(key, _, _)| *key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages_and_unique_keys() {
        let mut seen = std::collections::BTreeSet::new();
        for (key, vi, en) in CATALOGUE {
            assert!(seen.insert(*key), "duplicate key {key}");
            assert!(!vi.is_empty() && !en.is_empty(), "empty text for {key}");
        }
    }

    #[test]
    fn every_key_named_in_a_template_exists() {
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let known: std::collections::BTreeSet<&str> = keys().collect();
        for entry in std::fs::read_dir(templates).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for part in text.split("t(\"").skip(1) {
                let key = part.split('"').next().unwrap_or("");
                assert!(
                    known.contains(key),
                    "{:?} names unknown key {key}",
                    entry.path()
                );
            }
        }
    }
}
