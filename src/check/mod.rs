pub(crate) mod verify;
