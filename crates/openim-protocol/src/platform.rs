//! Platform IDs and their names (§2.3).

/// An OpenIM platform, 1..=10 in both generations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Platform {
    Ios = 1,
    Android = 2,
    Windows = 3,
    Osx = 4,
    Web = 5,
    MiniWeb = 6,
    Linux = 7,
    APad = 8,
    IPad = 9,
    Admin = 10,
}

impl Platform {
    pub const ALL: [Platform; 10] = [
        Platform::Ios,
        Platform::Android,
        Platform::Windows,
        Platform::Osx,
        Platform::Web,
        Platform::MiniWeb,
        Platform::Linux,
        Platform::APad,
        Platform::IPad,
        Platform::Admin,
    ];

    pub fn from_id(id: i64) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.id() as i64 == id)
    }

    pub fn id(self) -> i32 {
        self as i32
    }

    /// The name OpenIM uses in Redis keys and v3.4 `parse_token` (`IOS`, `Android`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Platform::Ios => "IOS",
            Platform::Android => "Android",
            Platform::Windows => "Windows",
            Platform::Osx => "OSX",
            Platform::Web => "Web",
            Platform::MiniWeb => "MiniWeb",
            Platform::Linux => "Linux",
            Platform::APad => "APad",
            Platform::IPad => "IPad",
            Platform::Admin => "Admin",
        }
    }

    pub fn from_name(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The name of any platform ID; OpenIM maps unknown IDs to the empty string.
pub fn platform_name(id: i64) -> &'static str {
    Platform::from_id(id).map(Platform::name).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(Platform::from_id(p.id() as i64), Some(p));
            assert_eq!(Platform::from_name(p.name()), Some(p));
        }
        assert_eq!(platform_name(4), "OSX");
        assert_eq!(platform_name(11), "");
        assert_eq!(Platform::from_id(0), None);
    }
}
