//! Presence is per user, derived from the sockets' attachments every time it is needed, so
//! it survives hibernation and eviction: no member list lives only in memory.

use broadcast_protocol::Member;
use serde_json::value::RawValue;
use worker::{State, WebSocket};

use crate::attachment::SocketAttachment;

/// The channel's sockets that still count, with their attachments.
pub fn live_sockets(state: &State) -> Vec<(WebSocket, SocketAttachment)> {
    state
        .get_websockets()
        .into_iter()
        .filter_map(|ws| SocketAttachment::load(&ws).map(|attachment| (ws, attachment)))
        .filter(|(_, attachment)| !attachment.gone)
        .collect()
}

/// One member per user, in the order their first socket joined.
pub fn members(sockets: &[(WebSocket, SocketAttachment)]) -> Vec<Member<Box<RawValue>>> {
    let mut ordered: Vec<&SocketAttachment> = sockets.iter().map(|(_, a)| a).collect();
    ordered.sort_by(|a, b| a.connected_at.total_cmp(&b.connected_at));
    let mut members: Vec<Member<Box<RawValue>>> = Vec::new();
    for attachment in ordered {
        if let Some(member) = attachment.member()
            && !members.iter().any(|known| known.id == member.id)
        {
            members.push(member);
        }
    }
    members
}

/// Whether `user_id` has a live socket other than `socket_id`.
pub fn has_other_socket(
    sockets: &[(WebSocket, SocketAttachment)],
    user_id: &str,
    socket_id: &str,
) -> bool {
    sockets.iter().any(|(_, attachment)| {
        attachment.socket_id != socket_id && attachment.user_id.as_deref() == Some(user_id)
    })
}
