#![allow(dead_code)]
pub mod nets;
pub mod oracle;
pub mod walk;
