//! Mints a channel token for development: `npm run token -- --user ada --channels 'presence-room.*'`.
//!
//! The secret comes from `BROADCAST_JWT_SECRET`; `npm run token` takes it from
//! `worker/.dev.vars`, the same file `wrangler dev` reads.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use broadcast_auth::{Claims, mint_token};

const USAGE: &str =
    "usage: broadcast-token --user ID [--channels A,B*] [--info JSON] [--ttl SECONDS]
  --user      the user id (the token's `sub`)
  --channels  channel names or prefix* patterns the token may join (default: every channel)
  --info      JSON that other presence members see (the `user_info` claim)
  --ttl       lifetime in seconds (default 3600)
The secret is read from BROADCAST_JWT_SECRET.";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let mut user = None;
    let mut channels = None;
    let mut info = None;
    let mut ttl = 3600;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--user" => user = Some(value()?),
            "--channels" => channels = Some(value()?),
            "--info" => info = Some(value()?),
            "--ttl" => ttl = value()?.parse().map_err(|_| "--ttl takes whole seconds")?,
            "--help" | "-h" => return Err("".into()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let user = user.ok_or("--user is required")?;
    let secret =
        std::env::var("BROADCAST_JWT_SECRET").map_err(|_| "BROADCAST_JWT_SECRET is not set")?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the clock is before 1970")?
        .as_secs();
    let mut claims = Claims::new(user, now + ttl);
    claims.iat = Some(now);
    if let Some(channels) = channels {
        claims = claims.with_channels(channels.split(',').map(str::trim));
    }
    if let Some(info) = info {
        claims = claims
            .with_user_info(&info)
            .map_err(|err| format!("--info is not JSON: {err}"))?;
    }
    Ok(mint_token(secret.as_bytes(), &claims))
}
