//! HTTPS out: the shared outbound client checks certificates. A local HTTPS server with its
//! own test CA (made by rcgen here): a client that trusts the CA delivers a webhook to it; the
//! default client (system roots only) refuses it with the certificate's reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use langso_app::comms::{self, DeliveryWorker, NewAnnouncement, NewWebhook, WorkerConfig};
use langso_app::outbound::Outbound;
use langso_app::progress::NoProgress;
use langso_app::{Actor, demo, today};
use langso_store::testing::TestDb;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tokio_rustls::rustls;
use tower::ServiceExt;

/// A test CA and a certificate it signed for 127.0.0.1 and localhost.
struct TestCa {
    ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

fn test_ca() -> TestCa {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Langso test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::from_params(&ca_params, &ca_key);
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    TestCa {
        ca_pem: ca.pem(),
        server: Arc::new(server),
    }
}

/// Serves `app` over TLS on 127.0.0.1; returns its `https://127.0.0.1:port` base.
async fn serve_tls(app: axum::Router, config: Arc<rustls::ServerConfig>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let app = app.clone();
            tokio::spawn(async move {
                // A client that refuses our certificate ends the handshake: nothing to serve.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper::service::service_fn(move |req| app.clone().oneshot(req));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    base
}

#[tokio::test]
async fn a_trusted_ca_is_reached_and_an_unknown_one_is_refused_with_its_reason() {
    let ca = test_ca();
    let app = axum::Router::new().route("/ping", axum::routing::get(|| async { "pong" }));
    let base = serve_tls(app, ca.server.clone()).await;
    let trusting = Outbound {
        extra_roots_pem: vec![ca.ca_pem.clone().into_bytes()],
        ..Outbound::default()
    }
    .client()
    .unwrap();
    let answer = trusting.get(format!("{base}/ping")).send().await.unwrap();
    assert_eq!(answer.text().await.unwrap(), "pong");
    let default = Outbound::default().client().unwrap();
    let error = default
        .get(format!("{base}/ping"))
        .send()
        .await
        .unwrap_err();
    let reason = langso_app::outbound::describe(&error);
    assert!(
        reason.contains("UnknownIssuer") || reason.contains("certificate"),
        "{reason}"
    );
    // A proxy that is not an address is refused when the client is built.
    assert!(
        Outbound {
            proxy: Some("not a proxy url".into()),
            ..Outbound::default()
        }
        .client()
        .is_err()
    );
}

#[tokio::test]
async fn a_webhook_to_https_is_delivered_and_an_untrusted_one_fails_with_the_reason() {
    let ca = test_ca();
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push(body);
                "ok"
            }
        }),
    );
    let base = serve_tls(app, ca.server.clone()).await;
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let commune = langso_app::units::by_code(db, "09817", today())
        .await
        .unwrap()
        .id;
    comms::create_webhook(
        db,
        &Actor::system("test"),
        &NewWebhook {
            unit_id: Some(commune),
            name: "OA".into(),
            url: format!("{base}/hook"),
            secret: "s3cret-s3cret-s3cret".into(),
        },
    )
    .await
    .unwrap();
    let announcement = comms::create_announcement(
        db,
        &Actor::system("test"),
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "Lịch cắt điện".into(),
            body: "Nội dung".into(),
            category: "event".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    let config = WorkerConfig {
        worker_id: "tls".into(),
        poll: Duration::from_millis(20),
        lease: Duration::from_secs(30),
        timeout: Duration::from_secs(5),
        batch: 1,
        backoff_unit: Duration::from_millis(1),
    };
    // First the default client: the test CA is unknown, the attempt fails with the reason.
    let default = Outbound::default().client().unwrap();
    comms::run_once(db, &default, &config).await.unwrap();
    let errors: Vec<String> = langso_store::comms::attempts_of(db, announcement)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("certificate"), "{errors:?}");
    assert!(seen.lock().unwrap().is_empty());
    // Then a client trusting the CA delivers it (the retry is due 10 ms later).
    let trusting = Outbound {
        extra_roots_pem: vec![ca.ca_pem.into_bytes()],
        ..Outbound::default()
    }
    .client()
    .unwrap();
    let worker = DeliveryWorker::start_with(db.clone(), config, trusting);
    for _ in 0..500 {
        if !seen.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.shutdown().await;
    assert_eq!(seen.lock().unwrap().len(), 1);
}
