//! The how-to library: short guides a team member shares with a household (VNeID level 2,
//! VssID, the e-health record, the national public-service account, an e-payment account,
//! selling online). Each is a public page with a QR code and a one-click share; announcements
//! may link to them (`/huong-dan/{slug}`).

/// One how-to guide, in both languages.
#[derive(Clone, Copy, Debug)]
pub struct Guide {
    /// The address part: `/huong-dan/{slug}`.
    pub slug: &'static str,
    /// Vietnamese title.
    pub title_vi: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// One sentence on why it matters.
    pub summary_vi: &'static str,
    /// The same in English.
    pub summary_en: &'static str,
    /// Steps, Vietnamese.
    pub steps_vi: &'static [&'static str],
    /// Steps, English.
    pub steps_en: &'static [&'static str],
    /// The household indicator it helps with, for narrowing an announcement.
    pub indicator: &'static str,
}

/// Every guide of the library.
pub const GUIDES: &[Guide] = &[
    Guide {
        slug: "vneid-muc-2",
        title_vi: "Cài VNeID và lên tài khoản định danh mức 2",
        title_en: "Install VNeID and reach e-ID level 2",
        summary_vi: "Mức 2 mở các dịch vụ liên thông: khai sinh, đăng ký cư trú, sổ sức khỏe điện tử.",
        summary_en: "Level 2 unlocks linked services: birth registration, residence, the e-health record.",
        steps_vi: &[
            "Tải ứng dụng VNeID từ CH Play hoặc App Store (nhà phát hành: Trung tâm dữ liệu quốc gia về dân cư).",
            "Mở ứng dụng, chọn Đăng ký, quét mã QR trên CCCD gắn chip, nhập số điện thoại chính chủ.",
            "Mang CCCD gắn chip đến công an xã để lấy vân tay và ảnh chân dung (mức 2).",
            "Khi nhận tin nhắn kích hoạt, đăng nhập và đặt mật khẩu, mã PIN; không cho ai biết mã PIN.",
        ],
        steps_en: &[
            "Install VNeID from Google Play or the App Store (publisher: the National Population Data Centre).",
            "Open it, choose Register, scan the QR code on the chip ID card, enter your own phone number.",
            "Take the chip ID card to the commune police for fingerprints and a photo (level 2).",
            "When the activation message arrives, log in and set a password and PIN; never share the PIN.",
        ],
        indicator: "vneid_2",
    },
    Guide {
        slug: "vssid",
        title_vi: "Cài VssID – Bảo hiểm xã hội số",
        title_en: "Install VssID, the social-insurance app",
        summary_vi: "Xem quá trình đóng bảo hiểm, thẻ BHYT trên điện thoại.",
        summary_en: "See your insurance record and health-insurance card on the phone.",
        steps_vi: &[
            "Tải ứng dụng VssID từ CH Play hoặc App Store.",
            "Chọn Đăng nhập bằng tài khoản định danh điện tử VNeID.",
            "Xác nhận trên ứng dụng VNeID; thẻ BHYT hiện trong mục Thẻ BHYT.",
        ],
        steps_en: &[
            "Install VssID from Google Play or the App Store.",
            "Choose Log in with the VNeID electronic identity.",
            "Confirm in VNeID; the health-insurance card appears under Health insurance card.",
        ],
        indicator: "vssid",
    },
    Guide {
        slug: "so-suc-khoe-dien-tu",
        title_vi: "Sổ sức khỏe điện tử trên VNeID",
        title_en: "The e-health record in VNeID",
        summary_vi: "Khám chữa bệnh không cần mang sổ giấy; lịch sử tiêm chủng và khám bệnh ở một nơi.",
        summary_en: "No paper book at the clinic; vaccinations and visits in one place.",
        steps_vi: &[
            "Đăng nhập VNeID (tài khoản mức 2).",
            "Chọn Ví giấy tờ → Sổ sức khỏe điện tử → Tích hợp.",
            "Đồng ý chia sẻ thông tin; sổ hiện sau khi cơ sở y tế cập nhật.",
        ],
        steps_en: &[
            "Log in to VNeID (level 2 account).",
            "Choose Document wallet → E-health record → Link.",
            "Agree to share; the record appears once clinics update it.",
        ],
        indicator: "ehealth",
    },
    Guide {
        slug: "dich-vu-cong",
        title_vi: "Tài khoản Cổng dịch vụ công quốc gia",
        title_en: "A national public-service portal account",
        summary_vi: "Nộp hồ sơ thủ tục hành chính trực tuyến, theo dõi kết quả tại nhà.",
        summary_en: "File administrative procedures online and follow them from home.",
        steps_vi: &[
            "Mở dichvucong.gov.vn trên điện thoại hoặc máy tính.",
            "Chọn Đăng nhập → Tài khoản định danh điện tử (VNeID).",
            "Xác nhận trên ứng dụng VNeID; lần đầu kiểm tra lại thông tin cá nhân.",
        ],
        steps_en: &[
            "Open dichvucong.gov.vn on a phone or computer.",
            "Choose Log in → Electronic identity (VNeID).",
            "Confirm in VNeID; check your details the first time.",
        ],
        indicator: "dvc_account",
    },
    Guide {
        slug: "thanh-toan-dien-tu",
        title_vi: "Mở tài khoản thanh toán điện tử",
        title_en: "Open an e-payment account",
        summary_vi: "Nhận tiền, trả tiền điện nước, học phí, lệ phí không cần tiền mặt.",
        summary_en: "Receive money and pay bills, school and procedure fees without cash.",
        steps_vi: &[
            "Chọn một ngân hàng hoặc dịch vụ Mobile Money của nhà mạng.",
            "Tải ứng dụng, mở tài khoản bằng CCCD gắn chip (xác thực khuôn mặt).",
            "Đặt mật khẩu riêng; ngân hàng không bao giờ hỏi mã OTP qua điện thoại.",
        ],
        steps_en: &[
            "Choose a bank or your mobile operator's Mobile Money.",
            "Install the app and open an account with the chip ID card (face check).",
            "Set your own password; a bank never asks for an OTP by phone.",
        ],
        indicator: "epayment",
    },
    Guide {
        slug: "ban-hang-truc-tuyen",
        title_vi: "Bán hàng trực tuyến",
        title_en: "Sell online",
        summary_vi: "Đưa nông sản, sản phẩm làng nghề lên sàn thương mại điện tử và mạng xã hội.",
        summary_en: "Put farm and craft products on marketplaces and social networks.",
        steps_vi: &[
            "Chụp ảnh sản phẩm rõ nét, ghi giá và cách giao hàng.",
            "Mở gian hàng trên sàn thương mại điện tử hoặc trang Zalo/Facebook của hộ.",
            "Nhận thanh toán bằng mã QR chuyển khoản; ghi lại đơn hàng.",
        ],
        steps_en: &[
            "Take clear photos of the products, with price and delivery.",
            "Open a shop on a marketplace or the household's Zalo/Facebook page.",
            "Take payment by transfer QR code; keep a record of orders.",
        ],
        indicator: "sells_online",
    },
];

/// The guide with this slug.
pub fn guide(slug: &str) -> Option<&'static Guide> {
    GUIDES.iter().find(|g| g.slug == slug)
}
