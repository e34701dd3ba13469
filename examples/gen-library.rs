//! Writes a realistic casebook library of N records for benchmarks:
//! `cargo run --release --example gen-library -- OUT N`.
//!
//! Varied categories, warning colours, levels, departments, regions and platforms; 2–6 KB
//! Chinese bodies with sections and lists, half their sentences templated and half the
//! particulars of the case in words of a long-tailed vocabulary; timelines; about one record
//! in ten written in Traditional characters; plans and monthly summaries. Deterministic: the
//! same N gives the same library.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// xorshift64*: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const CATEGORIES: &[&str] = &["问题类", "突发事件类", "敏感类", "意见建议类", "造谣诽谤类"];
const WARNINGS: &[&str] = &["红", "橙", "黄", "黄", "蓝", "蓝", "蓝"];
const LEVELS: &[&str] = &["一级", "二级", "三级", "三级", "三级"];
/// A plan's usual sections with a line each; `{d}` stands for the department.
const PLAN_SECTIONS: &[(&str, &str)] = &[
    ("总则", "为做好{d}网络舆情应对工作，制定本预案。"),
    (
        "组织机构与职责",
        "{d}成立网络舆情应对工作小组，主要负责人任组长。",
    ),
    ("监测预警", "实行全天候监测，按红、橙、黄、蓝四色预警。"),
    (
        "分级响应",
        "按事件级别分级响应：一级2小时内、二级4小时内、三级24小时内作出首次回应。",
    ),
    ("处置流程", "发现、研判、报告、处置、回应、跟踪、总结。"),
    ("信息发布", "由{d}新闻发言人统一对外发布信息。"),
    ("后期处置", "事件平息后开展复盘，形成案例材料。"),
    ("保障措施", "落实人员、经费和技术保障。"),
    ("附则", "本预案自印发之日起施行，每三年评估一次。"),
];
const DEPARTMENTS: &[&str] = &[
    "县教育局",
    "县卫健局",
    "县住建局",
    "县公安局",
    "县应急管理局",
    "县城管局",
    "县交通运输局",
    "县市场监管局",
    "县生态环境分局",
    "县人社局",
    "县民政局",
    "县农业农村局",
    "县水利局",
    "县文旅局",
    "县发改局",
    "县自然资源局",
    "县委网信办",
];
const PLATFORMS: &[&str] = &[
    "微博",
    "微信群",
    "微信公众号",
    "抖音",
    "快手",
    "今日头条",
    "本地论坛",
    "小红书",
    "知乎",
    "百度贴吧",
    "哔哩哔哩",
    "视频号",
];
const SYLLABLES: &[&str] = &[
    "梅", "山", "柳", "营", "河", "西", "东", "湖", "青", "石", "桥", "松", "林", "凤", "凰", "龙",
    "泉", "白", "沙", "金", "水", "南", "北", "岭", "溪", "塘", "坪", "安", "和", "平",
];
const PLACE_KINDS: &[&str] = &["镇", "乡", "村", "街道", "社区"];
const OBJECTS: &[&str] = &[
    "学校食堂",
    "县医院",
    "城南路段",
    "老旧小区",
    "建筑工地",
    "农贸市场",
    "公交站台",
    "河道",
    "垃圾中转站",
    "幼儿园",
    "养老院",
    "停车场",
    "化工园区",
    "高速路口",
    "自来水厂",
    "供暖站",
];
const PROBLEMS: &[&str] = &[
    "噪音扰民",
    "积水严重",
    "交通拥堵",
    "收费争议",
    "异味扰民",
    "停水停电",
    "饭菜质量问题",
    "安全隐患",
    "排队时间过长",
    "违规施工",
    "污水直排",
    "服务态度差",
];
const SENTENCES: &[&str] = &[
    "网民{name}在{platform}发帖，反映{place}{object}{problem}，配有现场照片和视频。",
    "相关帖文发布后迅速引发关注，评论区出现大量附和和质疑声音。",
    "舆情监测人员于当日发现相关信息，第一时间报送{dept}核实。",
    "{dept}派出工作人员赴{place}现场调查，了解{object}的实际情况。",
    "经核实，网民反映的{problem}问题部分属实，已责令相关单位限期整改。",
    "{dept}通过{platform}发布情况通报，回应网民关切，说明处置进展。",
    "部分网民质疑通报内容过于简单，要求公开整改时间表和责任人。",
    "县委网信办会同{dept}开展舆情研判，认为事件热度将在两日内回落。",
    "{place}组织召开专题会议，研究{object}长效管理机制。",
    "此后相关话题讨论量明显下降，未出现次生舆情。",
    "媒体记者就{problem}一事进行了采访，报道总体客观。",
    "网民{name}对处理结果表示满意，并在{platform}发文致谢。",
];
const TRADITIONAL_SENTENCES: &[&str] = &[
    "網民{name}在{platform}發帖，反映{place}附近{problem_t}，引發熱議。",
    "相關帖文轉發量迅速上升，評論區出現大量質疑聲音。",
    "輿情監測人員第一時間發現相關資訊，並報送責任單位核實。",
    "經調查核實，網傳內容與事實不符，係斷章取義。",
    "責任單位通過官方帳號發佈情況說明，回應網民關切。",
    "網絡輿情隨後逐步平息，未出現次生輿情。",
];
const PROBLEMS_T: &[&str] = &[
    "噪音擾民",
    "積水嚴重",
    "交通擁堵",
    "收費爭議",
    "異味擾民",
    "停車難",
];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "覃", "韦", "蒙", "黄", "周"];
const GIVEN: &[&str] = &[
    "小燕", "建国", "海涛", "丽华", "志强", "春梅", "晓东", "秀英",
];
/// Common characters, the most frequent first: what the words of the detail sentences are
/// made of. Templated sentences alone give a library a vocabulary of a few thousand terms
/// (3,785 distinct characters and pairs at 10,000 records); real records, each about its own
/// streets, people and circumstances, share a long-tailed one of hundreds of thousands, and
/// the search indexes' sizes and costs follow the vocabulary.
const COMMON: &str = concat!(
    "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生",
    "自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与",
    "好看学进种将还分此心前面又定见只主没公从知使点样本把性全已因现由实但物外间回位相",
    "利文区正问通表力解各合市场计特数条件题提基务制资展管员重器民改建业流路级门社关次",
    "清增内受期线很广求思信何走处意电连治理真体设造任强革备水根高口政直九白立报变系验",
    "结单手总反情带命边向术加机科争形压保组志认果常统标教战党万群达技先精类且局交非布",
    "领海少切除收传众难月亲状观证七存象音做话商易装运议属影近取比指即决集容包德华规采",
    "毛青林住周山黄土热服源育片北龙效千亚历则安王究南料引油太复红克书适满段米养价击苦",
    "须火号视病支护院低层险营格查河际超较财审江式准张落细消乎车刻图谈投言专干温铁需阻",
    "费突协破伤维供宣讲兵按判血吗济夫严型足园余环罗素断爱药吸试减案州鲜积货巴留测例武",
    "担功核益石钱景客令团毒够诉围约胜职紧拉银黑注底夜限优材板配率抓卫毕印警阳降灯映停",
    "房永谷剧伴肯扩纪彩凡恢娘抗困稳冲厂诗湖忙攻宝雨座松怀街乡镇村县城居委患纠纷举网帖",
    "评论转应部整谣媒记访频照调置舆长老师医士司户工程项目补偿拆迁征排污噪声垃圾故隐食",
    "品违执派检察府办",
);

const LESSONS: &[&str] = &[
    "首次回应要快，先发布已掌握的事实，再续报处置进展。",
    "涉及民生的问题要主动公开整改措施和时间表。",
    "对不实信息要及时辟谣，并依法处置造谣传谣者。",
    "加强与属地乡镇的信息共享，做到早发现、早报告、早处置。",
];

fn fill(rng: &mut Rng, template: &str, place: &str, object: &str, dept: &str) -> String {
    let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
    template
        .replace("{name}", &name)
        .replace("{platform}", rng.pick(PLATFORMS))
        .replace("{place}", place)
        .replace("{object}", object)
        .replace("{problem_t}", rng.pick(PROBLEMS_T))
        .replace("{problem}", rng.pick(PROBLEMS))
        .replace("{dept}", dept)
}

/// Distinct characters the detail sentences use: [`COMMON`] and then others of the CJK
/// block, which are rarer the further down (in real text the 500 most common characters are
/// about three quarters of it).
const CHARACTERS: usize = 6_000;

/// Words for detail sentences: two to four characters each, the characters drawn with Zipf's
/// law over [`CHARACTERS`] ranks (a few very common, a long tail of rare ones).
fn lexicon(rng: &mut Rng, words: usize) -> Vec<String> {
    let mut common: Vec<char> = COMMON.chars().collect();
    // Every third character of the block (U+4E00–U+9FA5) that is not among them already.
    let mut rest = (0x4E00..=0x9FA5).step_by(3).filter_map(char::from_u32);
    while common.len() < CHARACTERS {
        match rest.next() {
            Some(c) if !common.contains(&c) => common.push(c),
            Some(_) => {}
            None => break,
        }
    }
    (0..words)
        .map(|_| {
            let len = match rng.below(20) {
                0..=11 => 2,
                12..=16 => 3,
                _ => 4,
            };
            (0..len).map(|_| common[zipf(rng, common.len())]).collect()
        })
        .collect()
}

/// An index below `n` with probability falling as 1 / (index + 1) (Zipf's law).
fn zipf(rng: &mut Rng, n: usize) -> usize {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    (((n + 1) as f64).powf(u) as usize)
        .saturating_sub(1)
        .min(n - 1)
}

/// A sentence of the particulars of one case: two or three clauses of lexicon words, the
/// words drawn with Zipf's law.
fn detail(rng: &mut Rng, lexicon: &[String]) -> String {
    let clauses = 2 + rng.below(2);
    let mut out = String::new();
    for c in 0..clauses {
        for _ in 0..4 + rng.below(6) {
            out.push_str(&lexicon[zipf(rng, lexicon.len())]);
        }
        out.push(if c + 1 == clauses { '。' } else { '，' });
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen-library OUT N");
        std::process::exit(2);
    };
    let out = Path::new(out);
    if let Err(e) = generate(out, n) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn generate(out: &Path, n: usize) -> std::io::Result<()> {
    fs::create_dir_all(out.join("cases"))?;
    fs::create_dir_all(out.join("content/plans"))?;
    fs::create_dir_all(out.join("content/summaries"))?;
    fs::write(
        out.join("casebook.toml"),
        "title = \"基准测试县网络舆情案例库\"\ntimezone = \"+08:00\"\n",
    )?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let words = lexicon(&mut rng, 20_000);
    let places: Vec<String> = (0..200)
        .map(|_| {
            format!(
                "{}{}{}",
                rng.pick(SYLLABLES),
                rng.pick(SYLLABLES),
                rng.pick(PLACE_KINDS)
            )
        })
        .collect();
    // Spread the records over years: about 2,000 a year, one year at least and ten at most
    // (a larger library is a platform that merges many counties, not a longer history).
    let years = n.div_ceil(2000).clamp(1, 10) as i32;
    let first_year = 2025 - years + 1;
    let mut per_year_seq = vec![0usize; years as usize];
    for i in 0..n {
        let y = first_year + (i % years as usize) as i32;
        let seq = &mut per_year_seq[(y - first_year) as usize];
        *seq += 1;
        let id = format!("YQ-{y}-{:05}", *seq);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let hour = rng.below(24);
        let minute = rng.below(60);
        let category = rng.pick(CATEGORIES);
        let dept = rng.pick(DEPARTMENTS);
        let place = places[rng.below(places.len())].clone();
        let object = rng.pick(OBJECTS);
        let traditional = rng.below(10) == 0;
        let title = if traditional {
            format!("網傳{place}{}", rng.pick(PROBLEMS_T))
        } else {
            format!("{place}{object}{}", rng.pick(PROBLEMS))
        };
        let response_minutes = 10 + rng.below(2000);
        let mut fm = String::new();
        let _ = writeln!(fm, "+++");
        let _ = writeln!(fm, "id = \"{id}\"");
        let _ = writeln!(fm, "title = \"{title}\"");
        let _ = writeln!(fm, "category = \"{category}\"");
        let _ = writeln!(fm, "department = \"{dept}\"");
        let discovered = format!("{y}-{month:02}-{day:02}T{hour:02}:{minute:02}:00");
        let _ = writeln!(fm, "discovered_at = {discovered}");
        let _ = writeln!(fm, "warning = \"{}\"", rng.pick(WARNINGS));
        let _ = writeln!(fm, "level = \"{}\"", rng.pick(LEVELS));
        let closed = rng.below(10) > 0;
        // A record is closed only once it was answered: the clerk writes both times.
        let answered = rng.below(20) > 0;
        let closed = closed && answered;
        let _ = writeln!(
            fm,
            "status = \"{}\"",
            if closed { "已办结" } else { "处置中" }
        );
        let _ = writeln!(fm, "region = \"{place}\"");
        let p1 = rng.pick(PLATFORMS);
        let p2 = rng.pick(PLATFORMS);
        let platforms = if p1 == p2 {
            format!("\"{p1}\"")
        } else {
            format!("\"{p1}\", \"{p2}\"")
        };
        let _ = writeln!(fm, "platforms = [{platforms}]");
        let start = chrono_like(y, month, day, hour, minute);
        if answered {
            let _ = writeln!(fm, "first_response_at = {}", start.plus(response_minutes));
        }
        if closed {
            let _ = writeln!(
                fm,
                "closed_at = {}",
                start.plus(response_minutes + 1440 + rng.below(5000))
            );
        }
        let _ = writeln!(fm, "reach = {}", 100 + rng.below(500_000));
        let _ = writeln!(
            fm,
            "tags = [\"{}\", \"{}\"]",
            rng.pick(PROBLEMS),
            rng.pick(&["民生", "教育", "医疗", "交通", "环境", "安全"])
        );
        let _ = writeln!(fm, "typical = {}", rng.below(50) == 0);
        let _ = writeln!(fm);
        let _ = writeln!(
            fm,
            "[[timeline]]\nat = {discovered}\nstage = \"监测\"\nnote = \"发现相关帖文\""
        );
        if answered {
            let _ = writeln!(
                fm,
                "\n[[timeline]]\nat = {}\nstage = \"发布\"\nnote = \"发布情况通报\"",
                start.plus(response_minutes)
            );
        }
        let _ = writeln!(fm, "+++");

        let target = 2048 + rng.below(4096);
        let mut body = String::new();
        let sections = ["事件概况", "处置经过", "舆情研判", "经验教训"];
        let mut s = 0;
        while body.len() < target {
            let _ = writeln!(body, "\n## {}\n", sections[s % sections.len()]);
            for _ in 0..3 + rng.below(4) {
                // Records in Traditional characters keep to the templates (the lexicon is
                // Simplified); the others tell their particulars in every other sentence.
                if traditional {
                    let template = rng.pick(TRADITIONAL_SENTENCES);
                    body.push_str(&fill(&mut rng, template, &place, object, dept));
                } else if rng.below(2) == 0 {
                    body.push_str(&detail(&mut rng, &words));
                } else {
                    let template = rng.pick(SENTENCES);
                    body.push_str(&fill(&mut rng, template, &place, object, dept));
                }
            }
            body.push('\n');
            if s % sections.len() == 3 {
                for _ in 0..2 {
                    let _ = writeln!(body, "- {}", rng.pick(LESSONS));
                }
            }
            s += 1;
        }
        let dir = out.join("cases").join(y.to_string());
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("{id}.md")), format!("{fm}{body}"))?;
    }
    for y in first_year..=2025 {
        for m in 1..=12 {
            fs::write(
                out.join(format!("content/summaries/{y}-{m:02}.md")),
                format!("+++\nperiod = \"{y}-{m:02}\"\nmonitored_posts = {}\n+++\n\n## 总体情况\n\n本月舆情总体平稳。\n", 1000 + rng.below(5000)),
            )?;
        }
    }
    for (i, d) in DEPARTMENTS.iter().enumerate() {
        let sections: String = PLAN_SECTIONS
            .iter()
            .map(|(h, t)| format!("## {h}\n\n{}\n\n", t.replace("{d}", d)))
            .collect();
        fs::write(
            out.join(format!("content/plans/plan-{i:02}.md")),
            format!("+++\nid = \"plan-{i:02}\"\ntitle = \"{d}网络舆情应急预案\"\nstatus = \"有效\"\nplan_type = \"部门预案\"\nissued = 2022-03-01\nlast_reviewed = 2025-03-01\n+++\n\n{sections}"),
        )?;
    }
    Ok(())
}

/// A local time that can be moved forward by minutes and written as a TOML datetime.
struct LocalTime(i64);

fn chrono_like(y: i32, month: usize, day: usize, hour: usize, minute: usize) -> LocalTime {
    // Minutes since 2000-01-01 with 28-day months is enough to order times; written back
    // through the same calendar, so every written time is a real date.
    let days = (i64::from(y) - 2000) * 12 * 28 + (month as i64 - 1) * 28 + day as i64 - 1;
    LocalTime(days * 1440 + hour as i64 * 60 + minute as i64)
}

impl LocalTime {
    fn plus(&self, minutes: usize) -> String {
        let t = self.0 + minutes as i64;
        let (days, rest) = (t / 1440, t % 1440);
        let y = 2000 + days / (12 * 28);
        let month = days % (12 * 28) / 28 + 1;
        let day = days % 28 + 1;
        format!(
            "{y}-{month:02}-{day:02}T{:02}:{:02}:00",
            rest / 60,
            rest % 60
        )
    }
}
