//! The catalogue of the authors'-form Mod-Cog tasks: the 20 base tasks, their generator
//! families, the int/seq variants, their ids and order.

/// The 20 base tasks, in the authors' order (their README's `envs` list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Base {
    Go,
    RtGo,
    DlyGo,
    Anti,
    RtAnti,
    DlyAnti,
    Dm1,
    Dm2,
    CtxDm1,
    CtxDm2,
    MultiDm,
    DlyDm1,
    DlyDm2,
    CtxDlyDm1,
    CtxDlyDm2,
    MultiDlyDm,
    Dms,
    Dnms,
    Dmc,
    Dnmc,
}

/// Which generator a base task uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Family {
    /// Reach to the stimulus (or its opposite); `reaction`: no delay, stimulus at go.
    Go {
        /// Respond opposite the stimulus.
        anti: bool,
        /// Reaction-time form.
        reaction: bool,
    },
    /// Two-alternative choice by stimulus strength; `weights[m] < 0` = modality m not
    /// shown, else its weight in the comparison.
    Dm {
        /// stim1 – delay – stim2 form.
        delayed: bool,
        /// Modality weights.
        weights: [f64; 2],
    },
    /// Delayed match to sample / category.
    Match {
        /// Match to category (else to sample).
        category: bool,
        /// Respond on match (else on non-match).
        go_on_match: bool,
    },
}

impl Family {
    /// The performance of a policy that picks one of the answers a trial of this family
    /// allows uniformly at random (the answer is right with probability 1 / answers): go
    /// family 1/16 (one of the 16 ring units; in the authors' form the target unit 15 is
    /// asked as "keep fixating", still one answer of 16), decision family 1/2 (one of the
    /// two stimulus locations), match family 1/2 (respond or keep fixating). The int and
    /// seq extensions move the answer but do not add alternatives, so a variant has its
    /// base family's chance.
    pub fn chance_performance(self) -> f64 {
        match self {
            Family::Go { .. } => 1.0 / super::N_RING as f64,
            Family::Dm { .. } | Family::Match { .. } => 0.5,
        }
    }
}

impl Base {
    /// Every base task, in order.
    pub const ALL: [Base; 20] = [
        Base::Go,
        Base::RtGo,
        Base::DlyGo,
        Base::Anti,
        Base::RtAnti,
        Base::DlyAnti,
        Base::Dm1,
        Base::Dm2,
        Base::CtxDm1,
        Base::CtxDm2,
        Base::MultiDm,
        Base::DlyDm1,
        Base::DlyDm2,
        Base::CtxDlyDm1,
        Base::CtxDlyDm2,
        Base::MultiDlyDm,
        Base::Dms,
        Base::Dnms,
        Base::Dmc,
        Base::Dnmc,
    ];

    /// The authors' constructor name.
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 20] = [
            "go",
            "rtgo",
            "dlygo",
            "anti",
            "rtanti",
            "dlyanti",
            "dm1",
            "dm2",
            "ctxdm1",
            "ctxdm2",
            "multidm",
            "dlydm1",
            "dlydm2",
            "ctxdlydm1",
            "ctxdlydm2",
            "multidlydm",
            "dms",
            "dnms",
            "dmc",
            "dnmc",
        ];
        NAMES[self as usize]
    }

    /// The generator and its parameters.
    pub fn family(self) -> Family {
        use Base::*;
        let dm = |delayed, weights| Family::Dm { delayed, weights };
        match self {
            Go | DlyGo => Family::Go {
                anti: false,
                reaction: false,
            },
            RtGo => Family::Go {
                anti: false,
                reaction: true,
            },
            Anti | DlyAnti => Family::Go {
                anti: true,
                reaction: false,
            },
            RtAnti => Family::Go {
                anti: true,
                reaction: true,
            },
            Dm1 => dm(false, [1.0, -1.0]),
            Dm2 => dm(false, [-1.0, 1.0]),
            CtxDm1 => dm(false, [1.0, 0.0]),
            CtxDm2 => dm(false, [0.0, 1.0]),
            MultiDm => dm(false, [1.0, 1.0]),
            DlyDm1 => dm(true, [1.0, -1.0]),
            DlyDm2 => dm(true, [-1.0, 1.0]),
            CtxDlyDm1 => dm(true, [1.0, 0.0]),
            CtxDlyDm2 => dm(true, [0.0, 1.0]),
            MultiDlyDm => dm(true, [1.0, 1.0]),
            Dms => Family::Match {
                category: false,
                go_on_match: true,
            },
            Dnms => Family::Match {
                category: false,
                go_on_match: false,
            },
            Dmc => Family::Match {
                category: true,
                go_on_match: true,
            },
            Dnmc => Family::Match {
                category: true,
                go_on_match: false,
            },
        }
    }
}

/// A base task with its extensions: `int`, `seq` ∈ {−1 (l), 0 (none), +1 (r)}.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Base task.
    pub base: Base,
    /// int direction.
    pub int: i8,
    /// seq direction.
    pub seq: i8,
}

fn letter(direction: i8) -> &'static str {
    if direction > 0 {
        "r"
    } else {
        "l"
    }
}

impl Variant {
    /// Whether the authors' `mod_cog_tasks.py` has a constructor for it (all but the
    /// int × seq pairs other than r-r, which are this crate's extensions).
    pub fn is_authors(self) -> bool {
        self.int == 0 || self.seq == 0 || (self.int == 1 && self.seq == 1)
    }

    /// The id: `ngym-modcog-<authors' constructor name>` (`dlygointr`, `goseql`, and the
    /// authors' int × seq `dlygointseq`, which is int-r seq-r); the extensions are
    /// `<base>int(r|l)seq(r|l)` (`dlygointlseqr`).
    pub fn id(self) -> String {
        let mut id = format!("ngym-modcog-{}", self.base.name());
        if self.int == 1 && self.seq == 1 {
            id += "intseq";
            return id;
        }
        if self.int != 0 {
            id += "int";
            id += letter(self.int);
        }
        if self.seq != 0 {
            id += "seq";
            id += letter(self.seq);
        }
        id
    }
}

/// Every variant in a fixed order: first the authors' 93 constructors in their README's
/// order (20 base; the 22 int tasks, int-r then int-l per int-able task; 20 seq-r; 20
/// seq-l), then their 11 `<task>intseq` (int-r seq-r) in base order; then this crate's 33
/// extensions, per int-able task int-r seq-l, int-l seq-r, int-l seq-l.
pub fn variants() -> Vec<Variant> {
    let v = |base, int, seq| Variant { base, int, seq };
    let ints: Vec<Base> = Base::ALL.into_iter().filter(|b| int_able(*b)).collect();
    let mut list: Vec<Variant> = Base::ALL.iter().map(|b| v(*b, 0, 0)).collect();
    for base in &ints {
        list.extend([v(*base, 1, 0), v(*base, -1, 0)]);
    }
    for seq in [1, -1] {
        list.extend(Base::ALL.iter().map(|b| v(*b, 0, seq)));
    }
    list.extend(ints.iter().map(|b| v(*b, 1, 1)));
    for base in &ints {
        list.extend([v(*base, 1, -1), v(*base, -1, 1), v(*base, -1, -1)]);
    }
    list
}

/// All ids, in [`variants`] order.
pub fn ids() -> Vec<String> {
    variants().into_iter().map(Variant::id).collect()
}

/// The variant with this id (`<task>intrseqr` is accepted for the authors' `<task>intseq`).
pub fn parse_id(id: &str) -> Option<Variant> {
    let id = match id.strip_suffix("intrseqr") {
        Some(stem) => format!("{stem}intseq"),
        None => id.to_string(),
    };
    variants().into_iter().find(|v| v.id() == id)
}

/// Whether `base` has a delay period an int variant can act on (the README's 11 tasks).
pub fn int_able(base: Base) -> bool {
    use Base::*;
    matches!(
        base,
        DlyGo
            | DlyAnti
            | DlyDm1
            | DlyDm2
            | CtxDlyDm1
            | CtxDlyDm2
            | MultiDlyDm
            | Dms
            | Dnms
            | Dmc
            | Dnmc
    )
}
