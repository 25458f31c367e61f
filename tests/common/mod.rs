#![allow(dead_code)]
pub mod certify;
pub mod cli;
pub mod data;
pub mod fuzz;
pub mod graph;
pub mod imports;
pub mod nets;
pub mod oracle;
pub mod walk;
