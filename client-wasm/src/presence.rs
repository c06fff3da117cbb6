//! The member list of a presence channel, merged where the members live: in JavaScript.
//!
//! The frames were checked in Rust (`frames::decode`); merging them from the objects
//! `JSON.parse` made takes a call per frame, where a `Map` driven from Rust would take one per
//! member and operation and convert every id back to JavaScript.

use js_sys::{Array, Map};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "
const entry = (member) => ({ id: member.id, info: member.info ?? null });
export function replaceMembers(members, list) {
  members.clear();
  for (const member of list) members.set(member.id, entry(member));
  return [...members.values()];
}
export function addMember(members, member) {
  const known = members.has(member.id);
  const added = entry(member);
  members.set(member.id, added);
  return known ? undefined : added;
}
export function removeMember(members, member) {
  const known = members.get(member.id);
  members.delete(member.id);
  return known;
}
export function memberList(members) {
  return [...members.values()];
}
")]
extern "C" {
    #[wasm_bindgen(js_name = replaceMembers)]
    fn replace_members(members: &Map, list: &JsValue) -> Array;

    #[wasm_bindgen(js_name = addMember)]
    fn add_member(members: &Map, member: &JsValue) -> JsValue;

    #[wasm_bindgen(js_name = removeMember)]
    fn remove_member(members: &Map, member: &JsValue) -> JsValue;

    #[wasm_bindgen(js_name = memberList)]
    fn member_list(members: &Map) -> Array;
}

/// Presence members by user id, as `{ id, info }` objects (`info` is `null` when absent).
pub struct Members(Map);

impl Default for Members {
    fn default() -> Self {
        Self(Map::new())
    }
}

impl Members {
    /// Replaces every member with those of a `presence:here` frame's `members`; returns the
    /// new list.
    pub fn replace(&self, list: &JsValue) -> Array {
        replace_members(&self.0, list)
    }

    /// Adds or updates the member of a `presence:join` frame; returns it if it is new.
    pub fn add(&self, member: &JsValue) -> Option<JsValue> {
        Some(add_member(&self.0, member)).filter(|added| !added.is_undefined())
    }

    /// Removes the member of a `presence:leave` frame; returns it if it was there.
    pub fn remove(&self, member: &JsValue) -> Option<JsValue> {
        Some(remove_member(&self.0, member)).filter(|removed| !removed.is_undefined())
    }

    /// Every member.
    pub fn list(&self) -> Array {
        member_list(&self.0)
    }

    /// Removes every member.
    pub fn clear(&self) {
        self.0.clear();
    }
}
