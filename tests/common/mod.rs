#![allow(dead_code)]
pub mod cli;
pub mod data;
pub mod fixture;
pub mod nets;
pub mod oracle;
pub mod walk;
