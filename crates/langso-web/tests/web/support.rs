//! `TestApp`: the real router on 127.0.0.1:0 over a fresh database holding the demo.

use langso_app::progress::NoProgress;
use langso_store::testing::TestDb;
use langso_web::{AppState, Settings};
use tokio::sync::oneshot;

/// A running server and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client that keeps no cookies of its own.
    pub client: reqwest::Client,
    /// The test database (dropped after the test).
    pub test_db: TestDb,
    /// The server's state (to flush queued scans).
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// A server over a fresh database with the demo built.
    pub async fn with_demo() -> TestApp {
        TestApp::with_settings(Settings::default()).await
    }

    /// A server over a fresh demo database with these settings (demo and hotline set).
    pub async fn with_settings(settings: Settings) -> TestApp {
        let test_db = match TestDb::new().await {
            Ok(db) => db,
            Err(error) => unreachable!("test database: {error}"),
        };
        let built = langso_app::demo::build_small(&test_db.db, &NoProgress).await;
        assert!(built.is_ok(), "demo: {built:?}");
        let state = AppState::new(
            test_db.db.clone(),
            Settings {
                demo: true,
                hotline: Some("1022".to_owned()),
                ..settings
            },
        );
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => unreachable!("bind: {error}"),
        };
        let base = format!(
            "http://{}",
            listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default()
        );
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(langso_web::serve_with(
            listener,
            langso_web::router(state.clone()),
            state.settings.connections,
            async {
                let _ = stopped.await;
            },
        ));
        langso_app::outbound::install_tls_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        TestApp {
            base,
            client,
            test_db,
            state,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        match self.client.get(format!("{}{path}", self.base)).send().await {
            Ok(response) => response,
            Err(error) => unreachable!("GET {path}: {error}"),
        }
    }

    /// GET `path` and parse JSON, asserting 200.
    pub async fn json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap_or_default()
    }

    /// GET `path` as text.
    pub async fn text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// GET `path` signed in as `session`: (status, body).
    pub async fn page(&self, session: &Session, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", session.header())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// Posts `form` as `session` with its CSRF token: (status, the redirect's location on 303,
    /// else the body).
    pub async fn submit(
        &self,
        session: &Session,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let mut form: Vec<(&str, &str)> = form.to_vec();
        form.push(("csrf", &session.csrf));
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", session.header())
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.unwrap_or_default();
        (status, if status == 303 { location } else { body })
    }

    /// The database.
    pub fn db(&self) -> &langso_app::Db {
        &self.test_db.db
    }

    /// Logs in through the login form as a browser would; returns the session.
    pub async fn login(&self, login: &str, password: &str) -> Session {
        let form = self.get("/login").await;
        let csrf_cookie = set_cookie(&form, "langso_csrf").unwrap_or_default();
        let body = form.text().await.unwrap_or_default();
        let csrf = hidden(&body, "csrf");
        let response = self
            .client
            .post(format!("{}/login", self.base))
            .header("cookie", format!("langso_csrf={csrf_cookie}"))
            .form(&[
                ("login", login),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/account"),
            ])
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), 303, "login as {login}");
        let cookie = set_cookie(&response, "langso_session").expect("session cookie");
        let account = self
            .client
            .get(format!("{}/account", self.base))
            .header("cookie", format!("langso_session={cookie}"))
            .send()
            .await
            .expect("account page");
        let csrf = hidden(&account.text().await.unwrap_or_default(), "csrf");
        Session { cookie, csrf }
    }

    /// Asks the server to stop and waits until it has (graceful shutdown), then commits the
    /// scans still queued, as `langso serve` does.
    pub async fn shutdown(mut self) -> bool {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let stopped = match self.server.take() {
            Some(server) => matches!(server.await, Ok(Ok(()))),
            None => false,
        };
        self.state.shutdown().await;
        stopped
    }
}

/// A logged-in browser session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The `langso_session` cookie value.
    pub cookie: String,
    /// The CSRF token its forms carry.
    pub csrf: String,
}

impl Session {
    /// The Cookie header value.
    pub fn header(&self) -> String {
        format!("langso_session={}", self.cookie)
    }
}

/// The value a response sets for cookie `name`.
pub fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The value of the first hidden input `name` in a page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    page.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_owned()
}
