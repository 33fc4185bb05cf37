# Vietnamese messages of the units domain: keys raised by langso-app and langso-web.

# Trang (pages).
units-unit-required = Hãy chọn một đơn vị
units-title = Đơn vị hành chính
units-search-label = Tìm đơn vị
units-search-hint = Tên hoặc mã, có dấu hay không dấu đều được (ví dụ: song phuong, 09829)
units-search-button = Tìm
units-date-label = Tại ngày
units-date-hint = Ngày theo dạng NNNN-TT-NN; để trống là hôm nay
units-date-error = Ngày không hợp lệ: hãy nhập theo dạng NNNN-TT-NN, ví dụ 2025-06-01
units-date-show = Xem
units-results = Kết quả tìm kiếm
units-no-results = Không tìm thấy đơn vị nào.
units-tree = Cây đơn vị
units-as-of = tại ngày
units-under = trực thuộc
units-closed = đã giải thể / sáp nhập
unit-code = Mã
unit-kind = Cấp
unit-valid = Hiệu lực
unit-now = nay
unit-note = Ghi chú
unit-children = Đơn vị trực thuộc
unit-none = Không có.
unit-counts = Tổng số đơn vị bên dưới
unit-parents = Lịch sử trực thuộc
unit-lineage = Nguồn gốc và kế thừa
unit-came-from = Hình thành từ
unit-went-to = Sáp nhập vào
unit-share-whole = toàn bộ
unit-share-part = một phần
unit-unverified = chưa xác minh
unit-basis = Căn cứ
unit-same-code = Cùng mã ở thời kỳ khác
unit-coordinates = Toạ độ
kind-province = Tỉnh / thành phố
kind-district = Huyện / quận
kind-commune = Xã
kind-ward = Phường
kind-town = Thị trấn
kind-special-zone = Đặc khu
kind-village = Thôn
kind-street-group = Tổ dân phố
kind-residential-cluster = Cụm dân cư
kind-hamlet = Xóm

# pages: units (and the units API)
# Refusals from langso-app and langso-domain
units-kind-unknown = loại đơn vị không hợp lệ: "{ $value }"
units-date-invalid = Ngày không hợp lệ: “{ $value }” (cần dạng NNNN-TT-NN, ví dụ 2025-06-01)
units-name-invalid = tên đơn vị phải có 1–200 ký tự
units-period-reversed = ngày kết thúc { $to } trước ngày bắt đầu { $from }
units-share-invalid = phạm vi sáp nhập phải là whole hoặc part: "{ $value }"
units-csv-unreadable = không đọc được tệp CSV: { $error }
units-column-unknown = cột không xác định
units-column-missing = thiếu cột bắt buộc
units-line-broken = dòng hỏng: { $error }
units-coordinate-invalid = toạ độ không hợp lệ: "{ $value }"
units-code-not-in-force = không có đơn vị mã { $code } vào ngày { $date }
units-manage-forbidden = không có quyền quản lý đơn vị này
units-kind-cannot-sit-under = { $kind } không thể trực thuộc { $parent }
units-code-in-use = mã { $code } đang thuộc { $name } ({ $from } – { $until ->
        [open] nay
       *[other] { $until }
    })
units-required = bắt buộc
units-boolean-invalid = phải là true/false: "{ $value }"
units-effective-differs = mọi dòng phải cùng ngày hiệu lực
units-file-empty = tệp không có dòng nào
units-effective-invalid = ngày hiệu lực không hợp lệ
units-old-name-differs = mã { $code } ngày { $date } là { $name }, không phải { $given }
units-new-code-names-differ = mã { $code } có nhiều tên mới khác nhau
units-code-closed = mã { $code } đã đóng ({ $name }) và chỉ đơn vị kế thừa mới được dùng lại
units-split-needs-moves = { $name } bị chia tách: cần chỉ rõ { $child } ({ $code }) về đâu
units-unit-not-found = không tìm thấy đơn vị
units-move-cycle = tạo vòng lặp: { $parent } nằm dưới { $name }
units-move-not-in-force = { $name } hoặc { $parent } không còn hiệu lực ngày { $date }
units-move-cannot-sit-under = { $name } không thể trực thuộc { $parent }
units-orphan = { $name } ({ $code }) sẽ không còn đơn vị cấp trên từ ngày { $date }
units-code-twice-under-parent = mã { $code } bị trùng trong cùng đơn vị
units-code-invalid = mã không hợp lệ cho cấp { $kind ->
        [province] tỉnh
        [district] huyện
        [commune] xã
        [ward] phường
        [town] thị trấn
        [special_zone] đặc khu
        [village] thôn
        [street_group] tổ dân phố
        [residential_cluster] cụm dân cư
        [hamlet] xóm
       *[other] { $kind }
    }: "{ $code }" (tỉnh 2 chữ số, huyện 3, xã 5; thôn: mã nội bộ tối đa 20 ký tự)
# units: names told apart, the unit picker
units-formerly = { $name } ({ $former } cũ)
units-with-code = { $name } ({ $code })
units-picker-hint = Gõ vài chữ của tên rồi chọn trong danh sách; các đơn vị trùng tên có ghi xã cũ kèm theo.
units-picker-none = Không có đơn vị nào khớp với tên đã nhập; hãy chọn trong danh sách.
units-children = { $count } đơn vị trực thuộc
