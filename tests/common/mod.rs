#![allow(dead_code)]
pub mod data;
pub mod nets;
pub mod oracle;
pub mod walk;
