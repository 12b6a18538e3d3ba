//! Which of Japan's 47 prefectures a governing body belongs to.
//!
//! A valid six-digit local-government code wins (its first two digits are the
//! JIS prefecture number); otherwise a prefecture's full name as a prefix of the
//! body's name; otherwise none. Tokyo's special wards carry no prefecture in
//! their names, and `京都府京都市` must not become `京都`, so names are matched
//! against the full prefecture names only.

/// The 47 prefectures in JIS order: index + 1 is the JIS number.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The label of bodies whose prefecture cannot be found.
pub const UNKNOWN: &str = "不明";

/// A prefecture by its JIS number, 1 to 47.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prefecture(u8);

impl Prefecture {
    pub fn from_number(number: u8) -> Option<Self> {
        (1..=47).contains(&number).then_some(Self(number))
    }

    /// Parses a two-digit JIS code such as `"01"` or `"47"`.
    pub fn from_code(code: &str) -> Option<Self> {
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::from_number(code.parse().ok()?)
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// The two-digit JIS code, `"01"` … `"47"`.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }

    pub fn name(self) -> &'static str {
        PREFECTURES[usize::from(self.0 - 1)]
    }

    pub fn all() -> impl Iterator<Item = Self> {
        (1..=47).map(Self)
    }
}

/// The prefecture of a body from its name and local-government code.
pub fn prefecture_of(name: &str, organization_code: Option<&str>) -> Option<Prefecture> {
    organization_code
        .and_then(prefecture_from_code)
        .or_else(|| prefecture_from_name(name))
}

fn prefecture_from_code(code: &str) -> Option<Prefecture> {
    let digits = normalize_digits(code.trim());
    if digits.len() != 6 || !has_valid_check_digit(&digits) {
        return None;
    }
    Prefecture::from_number(digits[..2].parse().ok()?)
}

fn prefecture_from_name(name: &str) -> Option<Prefecture> {
    let name = name.trim();
    Prefecture::all().find(|p| name.starts_with(p.name()))
}

/// Makes full-width digits half-width; any other character ends up rejected.
fn normalize_digits(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (u32::from(c) - u32::from('０')) as u8),
            other => other,
        })
        .collect()
}

/// The sixth digit checks the first five, weighted 6, 5, 4, 3, 2.
fn has_valid_check_digit(digits: &str) -> bool {
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if values.len() != 6 {
        return false;
    }
    let sum: u32 = values[..5]
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(v, w)| v * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 0,
        11 => 1,
        other => other,
    };
    check == values[5]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(name: &str, code: Option<&str>) -> &'static str {
        prefecture_of(name, code).map_or(UNKNOWN, Prefecture::name)
    }

    #[test]
    fn traps_of_real_data() {
        assert_eq!(name_of("京都府京都市", Some("261009")), "京都府");
        assert_eq!(name_of("葛飾区", Some("131229")), "東京都");
        assert_eq!(name_of("府中市", Some("132063")), "東京都");
        assert_eq!(name_of("府中市", Some("342084")), "広島県");
        assert_eq!(name_of("東京都府中市", None), "東京都");
        assert_eq!(name_of("都城市", None), UNKNOWN);
        assert_eq!(name_of("日本国", None), UNKNOWN);
    }

    #[test]
    fn code_is_trimmed_and_made_half_width() {
        assert_eq!(name_of("x", Some(" ２６１００９ ")), "京都府");
        assert_eq!(name_of("京都府京都市", Some("261000")), "京都府");
        assert_eq!(name_of("葛飾区", Some("261000")), UNKNOWN);
    }

    #[test]
    fn every_code_of_the_national_list_is_valid() {
        let list = include_str!("../../data/jp_local_government_codes.csv");
        for line in list.lines().skip(1) {
            let code = line.split(',').next().unwrap();
            assert!(has_valid_check_digit(code), "{code}");
        }
    }
}
