//! Experiments that reproduce a paper's measurements the authors' way and return their
//! numbers (the claims in [`crate::lab::claims`] compare them with the papers').

pub mod jarne_laje;
pub mod khona;
pub mod khona_dir;
pub mod khona_figure;
pub mod predictive_coding;
