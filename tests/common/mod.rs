#![allow(dead_code)]
pub mod oracle;
