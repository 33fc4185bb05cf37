//! A TCP proxy between the browser and the test server: the "network" of the offline tests.
//! Service-worker fetches do not reliably honour DevTools' offline emulation, so the tests take
//! the network away here: switched off, the proxy closes every open connection and drops each
//! new one at once; asked to cut, it lets the next `POST /round/sync` reach the server and
//! then breaks the connection halfway through the answer (the server has recorded the visits,
//! the phone never hears so).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The proxy on 127.0.0.1 (a secure context for service workers, like localhost).
pub(crate) struct Proxy {
    /// `http://127.0.0.1:PORT` of the proxy.
    pub base: String,
    up: Arc<watch::Sender<bool>>,
    cut: Arc<AtomicBool>,
    cuts: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// A proxy to the server at `target` (`http://127.0.0.1:PORT`), switched on.
    pub async fn start(target: &str) -> Proxy {
        let target: SocketAddr = target.trim_start_matches("http://").parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let up = Arc::new(watch::channel(true).0);
        let (cut, cuts) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicUsize::new(0)),
        );
        let (up2, cut2, cuts2) = (up.clone(), cut.clone(), cuts.clone());
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let off = up2.subscribe();
                if !*off.borrow() {
                    drop(socket);
                    continue;
                }
                tokio::spawn(relay(socket, target, off, cut2.clone(), cuts2.clone()));
            }
        });
        Proxy {
            base,
            up,
            cut,
            cuts,
            task,
        }
    }

    /// No network: open connections close, new ones are dropped.
    pub fn off(&self) {
        self.up.send_replace(false);
    }

    /// The network is back.
    pub fn on(&self) {
        self.up.send_replace(true);
    }

    /// Breaks the answer to the next `POST /round/sync` halfway.
    pub fn cut_next_sync(&self) {
        self.cut.store(true, Ordering::SeqCst);
    }

    /// How many answers were broken so far.
    pub fn cuts(&self) -> usize {
        self.cuts.load(Ordering::SeqCst)
    }
}

/// Copies bytes both ways until either side closes, the proxy is switched off, or a cut.
async fn relay(
    client: TcpStream,
    target: SocketAddr,
    mut up: watch::Receiver<bool>,
    cut: Arc<AtomicBool>,
    cuts: Arc<AtomicUsize>,
) {
    let Ok(server) = TcpStream::connect(target).await else {
        return;
    };
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    let cutting = Arc::new(AtomicBool::new(false));
    let marked = cutting.clone();
    let upstream = async move {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = from_client.read(&mut buf).await {
            if n == 0 {
                break;
            }
            if buf[..n].starts_with(b"POST /round/sync") && cut.swap(false, Ordering::SeqCst) {
                marked.store(true, Ordering::SeqCst);
            }
            if to_server.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    };
    let downstream = async move {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = from_server.read(&mut buf).await {
            if n == 0 {
                break;
            }
            if cutting.load(Ordering::SeqCst) {
                // Half of the answer, then the connection is gone.
                let _ = to_client.write_all(&buf[..n / 2]).await;
                cuts.fetch_add(1, Ordering::SeqCst);
                return;
            }
            if to_client.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    };
    let switched_off = async move {
        while up.changed().await.is_ok() {
            if !*up.borrow() {
                break;
            }
        }
    };
    tokio::select! {
        _ = upstream => {}
        _ = downstream => {}
        _ = switched_off => {}
    }
}
