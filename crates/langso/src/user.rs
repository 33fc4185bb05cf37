//! `langso user …`: accounts from the command line (the first administrator is made here).

use std::io::BufRead;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use langso_app::auth::{self, NewAccount};
use langso_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use langso_app::{Db, today, units};
use langso_domain::auth::Role;

use crate::{operator, report};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account with one role on one unit; the password is read from standard input.
    Create {
        /// Login name (a-z, 0-9, . _ -).
        login: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// admin, officer, village_head, team_member or viewer.
        #[arg(long)]
        role: String,
        /// Code of the unit (in force today) the role covers, e.g. 01 or 09817.
        #[arg(long)]
        unit: String,
        /// May see citizen-ID and phone numbers unmasked.
        #[arg(long)]
        pii: bool,
    },
    /// List accounts with their roles.
    List,
    /// Disable an account and end all its sessions.
    Disable {
        /// Login name.
        login: String,
    },
    /// Set a new password (read from standard input); all sessions of the account end.
    ResetPassword {
        /// Login name.
        login: String,
    },
    /// Grant a role on a unit.
    Grant {
        /// Login name.
        login: String,
        /// The role.
        #[arg(long)]
        role: String,
        /// Unit code.
        #[arg(long)]
        unit: String,
    },
    /// Revoke a role on a unit.
    Revoke {
        /// Login name.
        login: String,
        /// The role.
        #[arg(long)]
        role: String,
        /// Unit code.
        #[arg(long)]
        unit: String,
    },
}

fn read_password() -> Result<String> {
    eprintln!("Mật khẩu (một dòng, từ đầu vào chuẩn) / password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("mật khẩu trống / empty password");
    }
    Ok(password)
}

fn role(text: &str) -> Result<Role> {
    Role::parse(text)
        .map_err(|e| anyhow::anyhow!(langso_web::messages::message(crate::lang(), &e.message())))
}

async fn unit_id(db: &Db, code: &str) -> Result<uuid::Uuid> {
    units::by_code(db, code, today())
        .await
        .map(|u| u.id)
        .map_err(|_| {
            anyhow::anyhow!(
                "không có đơn vị mã {code} hôm nay / no unit with code {code} in force today"
            )
        })
}

/// Runs one `langso user` command as the operator.
pub async fn run(db: &Db, command: UserCommand) -> Result<()> {
    let actor = operator();
    match command {
        UserCommand::Create {
            login,
            name,
            role: role_name,
            unit,
            pii,
        } => {
            let input = NewAccount {
                login,
                display_name: name,
                password: read_password()?,
                role: role(&role_name)?,
                unit_id: unit_id(db, &unit).await?,
                pii,
            };
            let view = auth::create_user(db, &actor, &input)
                .await
                .map_err(report)?;
            println!("Đã tạo / created: {} ({})", view.user.login, view.user.id);
        }
        UserCommand::List => {
            for view in auth::list_users(db, &actor).await.map_err(report)? {
                let roles: Vec<String> = view
                    .grants
                    .iter()
                    .map(|g| format!("{}@{}", g.role, g.unit_code))
                    .collect();
                let state = if view.user.disabled {
                    " [khóa / disabled]"
                } else {
                    ""
                };
                let pii = if view.user.pii { " [pii]" } else { "" };
                println!(
                    "{:<24} {:<32} {}{pii}{state}",
                    view.user.login,
                    view.user.display_name,
                    roles.join(", ")
                );
            }
        }
        UserCommand::Disable { login } => {
            let id = auth::user_id_by_login(db, &login).await.map_err(report)?;
            auth::disable_user(db, &actor, id).await.map_err(report)?;
            println!("Đã khóa / disabled: {login}");
        }
        UserCommand::ResetPassword { login } => {
            let id = auth::user_id_by_login(db, &login).await.map_err(report)?;
            auth::reset_password(db, &actor, id, &read_password()?)
                .await
                .map_err(report)?;
            println!("Đã đặt mật khẩu mới / password set: {login}");
        }
        UserCommand::Grant {
            login,
            role: role_name,
            unit,
        } => {
            let id = auth::user_id_by_login(db, &login).await.map_err(report)?;
            auth::grant_role(db, &actor, id, role(&role_name)?, unit_id(db, &unit).await?)
                .await
                .map_err(report)?;
            println!("Đã cấp / granted: {login} {role_name}@{unit}");
        }
        UserCommand::Revoke {
            login,
            role: role_name,
            unit,
        } => {
            let id = auth::user_id_by_login(db, &login).await.map_err(report)?;
            auth::revoke_role(db, &actor, id, role(&role_name)?, unit_id(db, &unit).await?)
                .await
                .map_err(report)?;
            println!("Đã thu hồi / revoked: {login} {role_name}@{unit}");
        }
    }
    Ok(())
}

/// On a first start with no account, says how to make the first administrator.
pub async fn hint_first_admin(db: &Db) -> Result<()> {
    if langso_app::auth::count_users(db).await.map_err(report)? == 0 {
        println!(
            "Chưa có tài khoản nào. Tạo quản trị viên đầu tiên / no accounts yet; create the first administrator:\n  \
             echo 'mật-khẩu-dài' | langso user create admin --name 'Quản trị' --role admin --unit 01 --pii\n  \
             (import units first: langso units import FILE)"
        );
    }
    Ok(())
}

/// Prints the demo accounts and their shared password.
pub fn print_demo_logins() {
    println!("Tài khoản DEMO / demo logins (mật khẩu / password: {DEMO_PASSWORD}):");
    for account in &DEMO_ACCOUNTS {
        println!(
            "  {:<14} {:<13} {}",
            account.login,
            account.role.as_str(),
            account.name
        );
    }
}
