//! Optional numeric settings from the Worker's variables (`[vars]` in wrangler.toml).

use worker::Env;

/// The variable `name` as a positive number, if it is set to one.
pub fn positive_number(env: &Env, name: &str) -> Option<f64> {
    env.var(name)
        .ok()
        .and_then(|value| value.to_string().parse::<f64>().ok())
        .filter(|number| *number > 0.0)
}
