//! The small vocabularies invented demo rows are made from.
//!
//! Every person here is fictional: names are built from common surnames and
//! given names at random, so no real politician or official is described.

/// Common surnames.
pub const SURNAMES: [&str; 40] = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
];

/// Common given names.
pub const GIVEN_NAMES: [&str; 40] = [
    "太郎",
    "一郎",
    "健一",
    "誠",
    "浩",
    "隆",
    "明",
    "修",
    "大輔",
    "直樹",
    "和也",
    "翔太",
    "拓也",
    "亮",
    "聡",
    "博之",
    "正人",
    "茂",
    "勝",
    "進",
    "花子",
    "洋子",
    "恵子",
    "美香",
    "裕子",
    "直美",
    "由美",
    "真理",
    "智子",
    "久美子",
    "陽子",
    "幸子",
    "明美",
    "さくら",
    "彩",
    "麻衣",
    "愛",
    "優子",
    "京子",
    "典子",
];

/// Committees a local assembly may have, each with its conference type.
pub const COMMITTEES: [(&str, &str); 8] = [
    ("総務委員会", "常任委員会"),
    ("文教委員会", "常任委員会"),
    ("厚生委員会", "常任委員会"),
    ("建設委員会", "常任委員会"),
    ("経済委員会", "常任委員会"),
    ("議会運営委員会", "議会運営委員会"),
    ("予算特別委員会", "特別委員会"),
    ("決算特別委員会", "特別委員会"),
];

/// Positions a politician speaker holds in the minutes.
pub const POLITICIAN_POSITIONS: [&str; 4] = ["議員", "委員", "委員長", "副委員長"];

/// Positions of government officials answering in the assembly.
pub const OFFICIAL_POSITIONS: [&str; 6] = [
    "総務部長",
    "財政課長",
    "教育長",
    "市民局長",
    "建設部長",
    "政策企画監",
];

/// How the minutes write a turn whose speaker could not be identified.
pub const UNIDENTIFIED_SPEAKERS: [&str; 5] =
    ["○議長", "○委員長", "○副議長", "○事務局長", "（発言者不明）"];

/// The opening, subject and closing of an invented utterance.
pub const OPENINGS: [&str; 8] = [
    "ただいま議題となりました",
    "先ほどの答弁にありました",
    "関連して伺いますが、",
    "委員長のお許しをいただき、",
    "市民の皆様から寄せられた",
    "昨年度に引き続き、",
    "ご指摘のありました",
    "この点について、",
];

/// Subjects of invented utterances.
pub const SUBJECTS: [&str; 12] = [
    "予算案",
    "子育て支援",
    "防災計画",
    "公共交通",
    "教育環境の整備",
    "地域医療",
    "観光振興",
    "行財政改革",
    "高齢者福祉",
    "上下水道事業",
    "デジタル化の推進",
    "農業振興",
];

/// Closings of invented utterances.
pub const CLOSINGS: [&str; 8] = [
    "について質問いたします。",
    "について見解を伺います。",
    "につきましては、引き続き検討してまいります。",
    "について、ご説明申し上げます。",
    "の進捗状況をお答えください。",
    "について、賛成の立場から討論いたします。",
    "に関する報告を了承いたします。",
    "について、異議はございませんか。",
];

/// Why an invented processing run failed.
pub const LLM_ERRORS: [&str; 4] = [
    "rate limit exceeded (429)",
    "response was not valid JSON",
    "request timed out after 120 s",
    "input exceeds the model's context window",
];
