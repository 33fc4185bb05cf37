//! Demo accounts: one per role on demo units, with a published password. The login page of the
//! demo lists them, marked DEMO; a real installation creates accounts with `langso user create`.

use langso_domain::auth::Role;

use super::{DemoSeed, SeedFuture};
use crate::auth::{NewAccount, create_user};
use crate::progress::Progress;
use crate::{AppResult, Db, today, units};

/// The password of every demo account (published: the demo holds only synthetic data).
pub const DEMO_PASSWORD: &str = "langso-demo";

/// A demo account: login, display name, role, unit code, PII right.
pub struct DemoAccount {
    /// Login name.
    pub login: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Its role.
    pub role: Role,
    /// The unit (code in force today) it holds the role on.
    pub unit_code: &'static str,
    /// May see personal numbers unmasked.
    pub pii: bool,
}

/// The demo accounts, one per role.
pub const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        login: "admin",
        name: "Quản trị Hà Nội (demo)",
        role: Role::Admin,
        unit_code: "01",
        pii: true,
    },
    DemoAccount {
        login: "canbo.odien",
        name: "Cán bộ văn hóa Xã Ô Diên (demo)",
        role: Role::Officer,
        unit_code: "09817",
        pii: true,
    },
    DemoAccount {
        login: "truongthon",
        name: "Trưởng thôn Hạ Mỗ 1 (demo)",
        role: Role::VillageHead,
        unit_code: "09805-T01",
        pii: false,
    },
    DemoAccount {
        login: "tothanhvien",
        name: "Tổ viên CNSCĐ (demo)",
        role: Role::TeamMember,
        unit_code: "09805-T01",
        pii: false,
    },
    DemoAccount {
        login: "xem",
        name: "Người xem báo cáo (demo)",
        role: Role::Viewer,
        unit_code: "01",
        pii: false,
    },
];

/// The accounts seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "auth",
    run: run_boxed,
};

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let actor = super::units::demo_actor();
    progress.start("tài khoản demo / demo accounts", DEMO_ACCOUNTS.len() as u64);
    for account in &DEMO_ACCOUNTS {
        let unit = units::by_code(db, account.unit_code, today()).await?;
        let input = NewAccount {
            login: account.login.to_owned(),
            display_name: account.name.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            role: account.role,
            unit_id: unit.id,
            pii: account.pii,
        };
        create_user(db, &actor, &input).await?;
        progress.advance(1);
    }
    Ok(())
}

/// The id of a demo account by login (None when the accounts seed has not run).
pub async fn demo_user(db: &Db, login: &str) -> AppResult<Option<uuid::Uuid>> {
    Ok(langso_store::auth::user_with_hash(db, login)
        .await?
        .map(|(user, _)| user.id))
}
