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

# units: names told apart, the unit picker
units-formerly = { $name } ({ $former } cũ)
units-with-code = { $name } ({ $code })
units-picker-hint = Gõ vài chữ của tên rồi chọn trong danh sách; các đơn vị trùng tên có ghi xã cũ kèm theo.
units-picker-none = Không có đơn vị nào khớp với tên đã nhập; hãy chọn trong danh sách.
