//! Every sentence casebook says to a person: the key, then Simplified Chinese, then English.
//! `{name}` is filled from the message's arguments; both languages must name the same ones
//! (a test checks). Field names appear as the clerk knows them: 责任单位（department）.

use super::Lang;

macro_rules! catalog {
    ($($key:ident: $zh:literal, $en:literal;)*) => {
        /// A sentence of the catalog.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key {
            $($key,)*
        }

        impl Key {
            #[cfg(test)]
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];

            /// The sentence in `lang`, placeholders unfilled.
            pub fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Zh => match self { $(Key::$key => $zh,)* },
                    Lang::En => match self { $(Key::$key => $en,)* },
                }
            }
        }
    };
}

catalog! {
    // Diagnostics: the words around every message.
    ErrorWord: "错误", "error";
    WarningWord: "警告", "warning";
    HintWord: "提示", "help";

    // Fields of a document and their values.
    FieldLabel: "{label}（{key}）", "`{key}` ({label})";
    FieldKey: "字段“{key}”", "`{key}`";
    MissingField: "缺少必填字段 {field}", "missing required field {field}";
    AddLine: "加一行，例如：{example}", "add a line like: {example}";
    WriteLike: "写成：{example}", "write it like: {example}";
    WrongType: "{field}应当是{expected}，现在是{found}", "{field} must be {expected}, found {found}";
    EmptyValue: "{field}是空的", "{field} is empty";
    FillOrDelete: "填上内容，或删去这一行", "fill it in or delete the line";
    PlaceholderInField: "{field}还是待填写的占位文字 {placeholder}", "{field} still holds the placeholder {placeholder}";
    ReplacePlaceholderLine: "填上实际内容（连同〔〕一起替换），或删去这一行", "write the real value (replacing the 〔〕 too), or delete the line";
    PlaceholderInBody: "正文中还有待填写的占位文字 {placeholder}", "the body still holds the placeholder {placeholder}";
    ReplacePlaceholderText: "填上实际内容（连同〔〕一起替换），或删去这一段", "write the real text (replacing the 〔〕 too), or delete the passage";
    NotA: "{field}的值 \"{value}\" 不是{what}", "{field} \"{value}\" is not {what}";
    NotAllowed: "{field}是 \"{value}\"，不在可选的取值中", "{field} is \"{value}\", which is not one of the allowed values";
    ListNotAllowed: "{field}中的 \"{value}\" 不在可选的取值中", "{field} names \"{value}\", which is not one of the allowed values";
    UseOneOf: "可选：{list}", "use one of: {list}";
    ListEntryNotText: "{field}的第 {n} 项应当是非空的文字，现在是{found}", "{field} entry {n} must be a non-empty string, found {found}";
    WrongTime: "{field}应当是{problem}（现在写的是 {found}）", "{field} must be {problem} (found {found})";
    DatetimeHint: "写成：{key} = 2024-03-12T08:30:00（不加引号；时区按 casebook.toml 的 timezone）", "write it like: {key} = 2024-03-12T08:30:00 (no quotes; the timezone of casebook.toml is assumed)";
    DateHint: "写成：{key} = 2024-03-12（不加引号）", "write it like: {key} = 2024-03-12 (no quotes)";
    NotATable: "{field}应当是一个表", "{field} must be a table";
    TableHint: "写在单独一行 [{key}] 之下", "write it under its own line [{key}]";
    MapValueNotText: "{key} 的值应当是用英文双引号括起的文字", "the values of `{key}` must be text in straight double quotes";
    ForExample: "例如：{example}", "for example: {example}";
    NotTables: "{field}应当是一组表", "{field} must be a list of tables";
    EntryNotTable: "{field}的第 {n} 项应当是一个表", "{field} entry {n} must be a table";
    TablesHint: "每一项写在单独一行 [[{key}]] 之下", "write each entry under its own [[{key}]] line";
    UnknownField: "没有字段 {key}", "unknown field `{key}`";
    DidYouMeanChinese: "是不是要写 {key}？字段名用英文：{label} 写作 {key}", "did you mean `{key}`? (fields are named in English; `{key}` is {label})";
    DidYouMean: "是不是要写 {key}？", "did you mean `{key}`?";
    AllowedFields: "可用的字段：{list}", "the allowed fields are: {list}";
    TheString: "文字 \"{text}\"", "the string \"{text}\"";
    NotUtf8: "文件不是 UTF-8 编码的文字", "the file is not UTF-8 text";
    SaveAsUtf8: "请另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8；GBK/GB2312 的文件需要转换）", "save it as UTF-8 (in Notepad: 另存为 → 编码 UTF-8; GBK/GB2312 files must be converted)";
    SlipLine: "这一行写法有误：{what}", "this line is written wrongly: {what}";
    ChangeTo: "改成：{fixed}", "change it to: {fixed}";
    SlipQuotes: "文字要用英文双引号 \" 括起来，不能用中文引号", "text goes in straight double quotes \", not Chinese quotes";
    SlipEquals: "等号要用英文半角的 =", "the equals sign is the half-width =";
    SlipChineseKey: "字段名要用英文", "field names are written in English";
    SlipTimeColon: "时间里的冒号要用英文半角的 :", "the colon in a time is the half-width :";
    SlipOpenQuote: "文字缺少右边的英文双引号", "the text lacks its closing double quote";
    SlipNoQuotes: "文字要用英文双引号括起来", "text goes in straight double quotes";
    Joined: "{a}；{b}", "{a}; {b}";
    BadToml: "文件头不是有效的 TOML：{message}", "the front matter is not valid TOML: {message}";
    TomlHint: "文字用英文双引号括起来（title = \"…\"），多个值用方括号（tags = [\"甲\", \"乙\"]），时间不加引号（2024-03-12T08:30:00）", "put text in straight double quotes (title = \"…\"), lists in brackets (tags = [\"甲\", \"乙\"]), times without quotes (2024-03-12T08:30:00)";

    // Reading the library's files.
    FolderIsLink: "这个案例库文件夹是一个链接", "this library folder is a link";
    ReplaceLink: "用文件夹本身替换这个链接（把文件复制进案例库）", "replace the link with the folder itself (copy its files into the library)";
    CannotRead: "无法读取：{reason}", "cannot read: {reason}";
    LinkOutside: "这是指向案例库之外的链接", "this is a link to somewhere outside the library";
    CopyInstead: "把文件复制进案例库，不要链接", "copy the files into the library instead of linking to them";
    FileTooBig: "文件有 {mib} MiB，超过了 10 MiB 的上限", "file is {mib} MiB, over the 10 MiB limit";
    SplitFile: "把它拆开，或把附件移出 Markdown 文件", "split it up, or move attachments out of the Markdown";
    BadPageName: "这个文件名不能用作页面名", "this file name cannot be used as a page name";
    RenamePage: "文件名只用文字（中文可以）、数字、- 和 _，不超过 120 字节（约 40 个汉字），不用 Windows 保留的名字（CON、NUL、COM1 等），例如 工作制度.md 或 about.md", "rename the file using letters (Chinese is fine), digits, `-` and `_` only, at most 120 bytes (about 40 Chinese characters), not a name Windows reserves (CON, NUL, COM1 …), e.g. 工作制度.md or about.md";
    YamlFrontMatter: "文件头写成了 YAML（在 --- 行之间）", "front matter is written as YAML between `---` lines";
    UseToml: "casebook 读 +++ 行之间的 TOML 文件头：把两行 --- 都换成 +++，字段写成 key = \"值\"", "casebook reads TOML front matter between `+++` lines: replace both `---` lines with `+++` and write fields as `key = \"value\"`";
    NoFrontMatter: "文件没有以文件头开始", "the file does not start with front matter";
    BeginWithPlus: "文件第一行写 +++，接着写字段（如 title = \"…\"），再写一行 +++", "begin the file with a line `+++`, the fields (e.g. title = \"…\"), and another `+++` line";
    FrontMatterUnclosed: "这里开始的文件头没有结束", "the front matter opened here is never closed";
    ClosePlus: "在最后一个字段之后、正文之前加一行 +++", "add a line `+++` after the last field, before the Markdown body";
    PersonalNumber: "公开范围为 {audience} 的记录中有{kind} {number}", "{kind} {number} in a record visible to `{audience}`";
    MaskNumber: "删去或遮住它（如 138****5678），或设 audience = \"{narrowest}\"", "remove or mask it (e.g. 138****5678), or set audience = \"{narrowest}\"";
    MobileNumber: "手机号", "a mobile number (手机号)";
    LandlineNumber: "固定电话", "a telephone number (固定电话)";
    IdCardNumber: "身份证号", "an ID number (身份证号)";

    // The build as a whole.
    NotARecordFile: "{path} 不是 cases/ 中的记录文件", "{path} is not a record file under cases/";
    NoLibraryFolder: "案例库文件夹不存在", "the library folder does not exist";
    PassRoot: "用 --root 指定存放 cases/ 和 content/ 的文件夹", "pass the folder that holds cases/ and content/ with --root";
    UnknownAudience: "没有公开范围 {audience}", "unknown audience `{audience}`";
    NotADate: "{value} 不是日期或日期时间", "`{value}` is not a date or datetime";
    NowHint: "写成 2024-03-31T18:00:00 或 2024-03-31", "write it like 2024-03-31T18:00:00 or 2024-03-31";
    RenderFailed: "生成 {page} 失败：{reason}", "rendering {page} failed: {reason}";
    CheckTemplate: "检查上面提到的模板（案例库的 templates/ 会替换内置模板）", "check the template named above (a library's templates/ override the built-in ones)";

    // Writing the site.
    OutNotASite: "{path} 已存在，且不是 casebook 生成的；不会替换它（换一个 --out，或清空那个文件夹）", "{path} exists and was not made by casebook; refusing to replace it (choose another --out, or empty that folder)";
    OutIsLink: "{path} 是一个符号链接；不会替换它（换一个 --out，或删去这个链接）", "{path} is a symbolic link; refusing to replace it (choose another --out, or remove the link)";
    OutInsideLibrary: "输出文件夹 {path} 会替换案例库或包含它的文件夹；换一个 --out，如 ./public", "the output folder {path} would replace the library or a folder containing it; choose another --out such as ./public";
    OutUnsafePath: "拒绝把 {path} 写到输出文件夹之外", "refusing to write `{path}` outside the output folder";
    CannotWrite: "无法写入 {path}：{reason}", "cannot write {path}: {reason}";
    SearchIndexFailed: "生成搜索索引失败：{reason}", "building the search index failed: {reason}";
    CheckDisk: "请检查输出文件夹所在的磁盘是否有空间、是否可写", "check that the output folder's disk has room and is writable";
    SqliteFailed: "写 SQLite 导出失败：{reason}", "writing the SQLite export failed: {reason}";
    CheckDiskOrReport: "请检查输出文件夹所在的磁盘是否有空间、是否可写；如果都没问题，这是 casebook 的缺陷：请连同引起它的案例库一并报告", "check that the output folder's disk has room and is writable; if it is, this is a bug in casebook: please report it with the library that triggers it";
    XlsxFailed: "写 Excel 台账失败：{reason}", "writing the Excel ledger failed: {reason}";
    ReportBug: "这是 casebook 的缺陷：请连同引起它的案例库一并报告", "this is a bug in casebook: please report it with the library that triggers it";
    NoSuchRecord: "没有编号为 {id} 的记录", "there is no record with the id {id}";
    CheckRecordId: "请核对编号（记录文件开头的 id = \"…\"）；草稿和公开范围窄于 {audience} 的记录不在其中，可加 --drafts 或 --audience", "check the id (id = \"…\" at the top of the record); drafts and records narrower than {audience} are left out: add --drafts or --audience";
    CannotReadTemplate: "无法读取模板：{reason}", "cannot read the template: {reason}";
    TemplateBroken: "模板有错，无法编译：{reason}", "a template does not compile: {reason}";
    FixTemplate: "改正案例库 templates/ 文件夹中上面提到的模板，或删去它以使用内置模板", "fix the template named above in the library's templates/ folder, or delete it to use the built-in one";
    CannotReadTheme: "无法读取主题文件：{reason}", "cannot read the theme file: {reason}";

    // The stages of a build (progress bar and `build -v`).
    StageLoad: "读取、检查、推算", "load, check, derive";
    StagePages: "生成页面", "render pages";
    StageBrowserIndex: "浏览器搜索索引", "browser search index";
    StageTantivy: "tantivy 索引", "tantivy index";
    StageExports: "导出 CSV 和 SQLite", "exports";
    StageWorkbook: "Excel 台账", "Excel ledger";
    StagePublish: "发布", "publish";

    // What the commands report.
    Serving: "预览地址 {url}\n正在监视案例库的变化；按 Ctrl+C 停止", "serving {url}\nwatching the library for changes; press Ctrl+C to stop";
    Wrote: "已写入 {path}", "wrote {path}";
    WroteDraft: "已写入 {path}（这是草稿：定稿后删去 draft = true）", "wrote {path} (a draft: remove `draft = true` when it is final)";
    WroteReport: "已写入舆情专报 {path}", "wrote the 舆情专报 {path}";
    CannotWriteDocument: "无法写入 {path}：{reason}；请检查文件夹是否存在、文件是否正在 Word 中打开", "cannot write {path}: {reason}; check that the folder exists and that the file is not open in Word";
    LibraryReady: "新案例库已在 {dir} 建好：运行 casebook build --root {dir} 生成站点", "a new library is ready in {dir}: run `casebook build --root {dir}`";
    NotADateWriteLike: "{value} 不是日期或日期时间；写成 2024-03-31T18:00:00", "`{value}` is not a date or datetime; write it like 2024-03-31T18:00:00";
    Checked: "检查完毕：{errors} 个错误，{warnings} 个警告", "checked: {errors} errors, {warnings} warnings";
    CannotSearch: "无法搜索 {site} 中的站点：{reason}（先运行 casebook build，或用 --site 指定生成的站点）", "cannot search the site in {site}: {reason} (run `casebook build` first, or pass the built site with --site)";
    NoMatches: "没有记录含有“{query}”", "no records match “{query}”";
    Built: "已生成 {records} 条记录、{plans} 份预案、{summaries} 期舆情分析（公开范围 {audience}）：{files} 个文件，在 {out}（{seconds} 秒）", "built {records} records, {plans} plans, {summaries} summaries for audience `{audience}`: {files} files in {out} ({seconds}s)";
    AndWithheld: "{line}；{n} 份文档不对此范围公开", "{line}; {n} documents withheld from this audience";
    AndWarnings: "{line}；{n} 个警告", "{line}; {n} warnings";
    StageDone: "{stage} 完成", "{stage} done";
    Failed: "失败：{errors} 个错误，{warnings} 个警告；{outcome}", "failed: {errors} errors, {warnings} warnings; {outcome}";
    FailedWrite: "失败：{reason}；{outcome}", "failed: {reason}; {outcome}";
    PreviousSiteKept: "已发布的站点保持原样", "the previous site was left as it was";
    NothingWritten: "什么也没写", "nothing was written";
    WouldWrite: "将写入", "would write";
    Writes: "写入", "wrote";
    WouldUpdate: "将更新", "would update";
    Updates: "更新", "updated";
    ImportTried: "试导入（未写任何文件）", "dry run (nothing written)";
    ImportDone: "导入完成", "imported";
    Imported: "{how}：写入 {written} 条，更新 {updated} 条，已存在 {present} 条，跳过 {skipped} 条", "{how}: {written} written, {updated} updated, {present} present, {skipped} skipped";
    AndProblems: "{line}（{n} 个问题见上）", "{line} ({n} problems above)";

    // import.
    NotALedger: "不是可导入的台账文件；请另存为 .xlsx、.xls 或 .csv 后再导入", "not a ledger that can be imported; save it as .xlsx, .xls or .csv and import that";
    CannotOpenWorkbook: "无法打开这个表格文件（{reason}）；请确认它能在 Excel 或 WPS 中打开，或另存为 .xlsx 再试", "cannot open this workbook ({reason}); check that it opens in Excel or WPS, or save it as .xlsx and try again";
    NoSuchSheet: "没有名为“{sheet}”的工作表；这个文件的工作表有：{list}", "there is no sheet “{sheet}”; the sheets of this file are: {list}";
    CannotReadSheet: "无法读取工作表“{sheet}”：{reason}", "cannot read the sheet “{sheet}”: {reason}";
    CsvEncoding: "这个 CSV 文件既不是 UTF-8 也不是 GB18030 编码；请在 Excel 中另存为“CSV UTF-8”再导入", "this CSV file is neither UTF-8 nor GB18030; save it from Excel as “CSV UTF-8” and import that";
    BadCsvLine: "第 {n} 行无法按 CSV 读取：{reason}", "line {n} cannot be read as CSV: {reason}";
    BadColumnTarget: "casebook.toml 的 [import.columns] 把“{header}”对应到“{to}”，但它既不是可导入的字段（如 department、region、tags），也不是正文小节（{sections}），也不是“忽略”", "[import.columns] in casebook.toml maps “{header}” to “{to}”, which is neither a field that can be imported (such as department, region, tags), nor a section of the body ({sections}), nor “忽略” (ignore)";
    NoHeaderRow: "前 {rows} 行中找不到表头（应有“标题”或“事件名称”列，以及“发现时间”“责任单位”等列）；如果列名与常见写法不同，请在 casebook.toml 的 [import.columns] 中写明，如 \"涉事镇街\" = \"region\"", "no header row in the first {rows} rows (it needs a 标题 or 事件名称 column, and columns such as 发现时间 and 责任单位); if the ledger names its columns differently, map them in [import.columns] of casebook.toml, e.g. \"涉事镇街\" = \"region\"";
    CellNotADate: "“{text}”不是日期", "“{text}” is not a date";
    CellNotATime: "“{text}”不是能识别的时间；请写成 2024-03-12 08:30 或 2024年3月12日 8:30", "“{text}” is not a time casebook can read; write 2024-03-12 08:30 or 2024年3月12日 8:30";
    CellNoTime: "时间为空", "the time is empty";
    CellNoSuchLocalTime: "“{text}”在本库时区不存在", "“{text}” does not exist in the library's timezone";
    CellNotACount: "“{text}”不是数量；请写数字，如 12000 或 1.2万", "“{text}” is not a count; write a number such as 12000 or 1.2万";
    CellNotAllowed: "“{text}”不是可用的值，应为 {list} 之一；如果这是本单位的习惯写法，请在 casebook.toml 的 [import.values] 中写明，如 \"{text}\" = \"{first}\"", "“{text}” is not an allowed value: use one of {list}; if it is your office's usual word, map it in [import.values] of casebook.toml, e.g. \"{text}\" = \"{first}\"";
    CellProblem: "{field}：{problem}", "{field}: {problem}";
    DefaultNotAField: "casebook.toml 的 [import.defaults] 中“{field}”不是记录的字段；请改用字段名，如 category、department", "“{field}” in [import.defaults] of casebook.toml is not a field of a record; use field names such as category, department";
    DefaultBadValue: "casebook.toml 的 [import.defaults] 中 {field} 的值有误：{problem}", "the value of {field} in [import.defaults] of casebook.toml is wrong: {problem}";
    ColumnTitle: "“标题”或“事件名称”", "标题 or 事件名称";
    ColumnCategory: "“舆情类别”", "舆情类别";
    ColumnDepartment: "“责任单位”", "责任单位";
    ColumnDiscovered: "“发现时间”", "发现时间";
    CellMissing: "缺少{field}：这一行的{column}列为空（或台账没有这一列）；请在台账中补上，或在 casebook.toml 的 [import.defaults] 中给出缺省值，如 {key} = \"…\"", "{field} is missing: the {column} column of this row is empty (or the ledger has none); fill it in the ledger, or give a default in [import.defaults] of casebook.toml, e.g. {key} = \"…\"";
    ColumnField: "“{header}”列 {field}", "column “{header}” {field}";
    CellNotYesNo: "“{text}”应为“是”或“否”", "“{text}” should be 是 (yes) or 否 (no)";
    NoDiscoveredAt: "缺少发现时间（discovered_at）", "发现时间 (discovered_at) is missing";
    ImportBadId: "编号（id）“{id}”不能用作文件名：编号只能含字母、数字、- 和 _，如 YQ-2024-0031；请在台账中改正，或删去这一列让 casebook 自动编号", "the id “{id}” cannot be a file name: ids hold only letters, digits, - and _, such as YQ-2024-0031; correct it in the ledger, or drop the column and let casebook number the records";
    CannotReadFile: "无法读取 {path}：{reason}", "cannot read {path}: {reason}";
    CannotUpdate: "{path} 的文件头无法读取，没有更新；请先用 casebook check 修正它", "the front matter of {path} cannot be read, so it was not updated; fix it first (casebook check)";
    CannotWriteKept: "无法写入 {path}：{reason}；原文件未改动", "cannot write {path}: {reason}; the file is unchanged";
    ImportedFailsCheck: "生成的记录无法通过检查：{problem}", "the record made from the row does not pass the checks: {problem}";
    CannotCreateFolder: "无法创建文件夹 {path}：{reason}", "cannot create the folder {path}: {reason}";
    ImportExists: "{path} 已存在，没有覆盖；台账中的编号可能与已有记录重复", "{path} exists and was not overwritten; the ledger's id may repeat an existing record's";

    // serve.
    CannotListen: "无法在 {addr} 上监听：{reason}（换一个 --port）", "cannot listen on {addr}: {reason} (choose another --port)";
    CannotWatch: "无法监视 {path} 的变化：{reason}", "cannot watch {path}: {reason}";
    CannotWatchTryPoll: "无法监视 {path} 的变化：{reason}（试试 --poll）", "cannot watch {path}: {reason} (try --poll)";
    Rebuilt: "已重新生成：{records} 条记录，用时 {ms} 毫秒；{warnings} 个警告，其中 {new} 个是新的", "rebuilt: {records} records in {ms} ms; {warnings} warnings, {new} new";
    EditHere: "在浏览器中新建或编辑记录：{url}_casebook/new，或点页面上的“编辑这条记录”", "write or edit records in the browser: {url}_casebook/new, or 编辑这条记录 on a record's page";
    EditWithKey: "在浏览器中新建或编辑记录要用密钥：打开 {url}_casebook/new?key={key}（只告诉可以编辑的人）", "writing or editing records needs the key: open {url}_casebook/new?key={key} (give it only to those who may edit)";
    ServeOnlyLocal: "只接受发往本机地址的请求。请用终端里显示的地址打开预览。", "only requests addressed to this machine are answered; open the preview at the address shown on the terminal";
    ServeBusy: "预览正忙，请稍后刷新页面。", "the preview is busy; reload the page in a moment";
    ServeNoExports: "预览时不生成导出文件（CSV、SQLite），运行 casebook build 后可在发布的站点下载。", "the preview makes no exports (CSV, SQLite); they are in the site casebook build publishes";
    ServeNoPage: "没有这个页面。如果刚修改了资料，请先改正错误。", "there is no such page; if you have just edited the library, correct its errors first";
    DeskNeedsKey: "编辑需要终端上显示的密钥：请用终端里给出的地址打开。", "editing needs the key shown on the terminal: open the address given there";
    DeskNoKind: "没有这种文档。", "there is no such kind of document";
    DeskNoDocument: "没有这份文档，或它的文件头无法读取。", "there is no such document, or its front matter cannot be read";
    DeskPostOnly: "保存要用 POST。", "saving takes a POST";
    DeskNoToken: "没有编辑的凭据：请从预览页面上的“编辑”或“新建事件”打开表单。", "no editing credentials: open the form from 编辑 or 新建事件 on a preview page";
    DeskForeignOrigin: "只接受本预览页面发出的保存请求。", "only saves sent from this preview's pages are accepted";
    DeskTooBig: "表单内容过大或未能读完。", "the form is too large or could not be read whole";
    DeskUnreadable: "表单内容无法读取。", "the form's content cannot be read";
    DeskLibraryBroken: "案例库现在有错误，改正后才能预览页面。", "the library has errors; correct them to preview the page";
    DeskConflict: "这个文件在打开表单之后被修改过（可能在编辑器里，或在另一个标签页），所以没有保存。你填写的内容还在表单里；对照下面文件现在的内容，重新打开表单再改。", "the file changed after the form was opened (in an editor, or in another tab), so nothing was saved. Your input is still in the form; compare it with the file's text below and open the form again";
    DeskNotYet: "还不能预览：{why}", "cannot preview yet: {why}";
    StillServing: "案例库有 {errors} 个错误；预览仍是上次成功生成的站点", "the library has {errors} errors; still serving the last good site";

    // new and init.
    BadPeriod: "{value} 不是统计周期：月写成 2024-03，季度写成 2024-Q1，年写成 2024", "`{value}` is not a period; write a month as 2024-03, a quarter as 2024-Q1, a year as 2024";
    FileExists: "{path} 已经存在，什么也没写（直接编辑它，或先把它移走）", "{path} already exists; nothing was written (edit it, or move it away first)";
    NotACategory: "{value} 不是本案例库的舆情类别；可选：{list}", "`{value}` is not a category of this library; use one of: {list}";
    NotAPlanId: "{id} 不能作预案编号：只用小写字母、数字和 -（用 --id 指定一个）", "`{id}` cannot be a plan id: use lower-case letters, digits and `-` (pass one with --id)";
    PlanExists: "编号为 {id} 的预案已经有了；用 --id 指定另一个", "a plan with id `{id}` exists already; pass another with --id";
    NoTemplates: "content/plan-templates/ 中没有模板 {name}；案例库还没有模板", "there is no template `{name}` in content/plan-templates/; the library has none";
    NoSuchTemplate: "content/plan-templates/ 中没有模板 {name}；已有：{list}", "there is no template `{name}` in content/plan-templates/; the library has: {list}";
    NewLibraryBroken: "新建的案例库无法读取：{reason}", "the new library does not load: {reason}";

    // The command line: help of every command and option.
    HelpTemplate: "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}", "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}";
    HelpCommands: "命令", "Commands";
    HelpCommandWord: "命令", "COMMAND";
    HelpArguments: "参数", "Arguments";
    HelpOptions: "选项", "Options";
    UsageWord: "用法：", "Usage: ";
    MoreHelp: "加 --help 查看说明。", "For more information, try '--help'.";
    ValueFolder: "文件夹", "DIR";
    ValueFile: "文件", "FILE";
    ValueTime: "时间", "DATETIME";
    ValueAudience: "范围", "AUDIENCE";
    ValueWords: "词语", "QUERY";
    ValueCategory: "类别", "CATEGORY";
    ValueDepartment: "单位", "DEPARTMENT";
    ValueYear: "年份", "YEAR";
    ValueCount: "条数", "N";
    ValueSheet: "工作表", "SHEET";
    ValueId: "编号", "ID";
    ValueTitle: "名称", "TITLE";
    ValueTemplate: "模板", "TEMPLATE";
    ValuePeriod: "周期", "PERIOD";
    ValuePort: "端口", "PORT";
    ValueAddress: "地址", "ADDRESS";
    ValueFormat: "格式", "FORMAT";
    HelpCasebook: "把网络舆情事件记录、应急预案和舆情分析的 Markdown 文件夹编译成内网静态网站", "Compile a folder of 网络舆情 incident records, plans and summaries into a static intranet site";
    HelpBuild: "把案例库生成为静态网站（先写到临时文件夹，成功后再替换已发布的站点）", "Build the library into a static site (written to a temporary folder, swapped in on success)";
    HelpServe: "在本机预览站点：文件一改就重新生成，打开的页面自动刷新，有错误时在页面上显示", "Serve the site on this computer and rebuild it when a file changes; open pages reload by themselves and show the library's errors while it has any";
    HelpInit: "新建案例库：配置文件和每类文档各一个示例", "Create a new library: configuration and one example of each kind of document";
    HelpCheck: "检查案例库，不写任何文件：列出生成时会有的全部错误和警告", "Validate the library without writing anything: every error and warning of a build";
    HelpSearch: "在上次生成的站点中搜索记录（用 casebook build 随站点写出的索引）", "Search the records of the last build (the index `casebook build` wrote with the site)";
    HelpImport: "导入 Excel 台账：每个数据行写成 cases/年份/编号.md 一条记录（已有记录不覆盖）", "Import an Excel ledger: each data row becomes a record cases/YEAR/ID.md (existing records are not overwritten)";
    HelpReport: "把一条记录写成舆情专报（Word 文件，公文格式）", "Write a record's 舆情专报 as a Word file in official-document layout";
    HelpNew: "新建一份文档供编辑；已有的文件绝不覆盖", "Start a new document for editing; an existing file is never overwritten";
    HelpNewCase: "新建事件记录：编号取当年下一个，发现时间取现在", "A record with the next free id of the year and the current time as discovered_at";
    HelpNewPlan: "从预案模板新建一份预案草稿", "A draft plan started from a plan template";
    HelpNewSummary: "新建一期舆情分析草稿，预先填好本期数字和重点舆情", "A draft period summary pre-filled with the period's figures and key cases";
    HelpLang: "提示和帮助的语言：zh（中文，默认）或 en（英文）", "language of messages and help: zh (Chinese, the default) or en (English)";
    HelpHelp: "显示帮助", "Print help";
    HelpVersion: "显示版本", "Print version";
    HelpRoot: "案例库文件夹（含 cases/、content/ 和 casebook.toml）[默认：当前文件夹]", "the library folder (holding cases/, content/, casebook.toml) [default: .]";
    HelpDrafts: "包括标了 draft = true 的草稿", "include documents marked `draft = true`";
    HelpBuildOut: "输出文件夹 [默认：案例库下的 public]", "output folder [default: ROOT/public]";
    HelpBuildNow: "按这个时间判断逾期和评估日期，如 2024-03-31T18:00:00 [默认：现在]", "judge overdue cases and review dates as of this time, e.g. 2024-03-31T18:00:00 [default: now]";
    HelpAudience: "按这个公开范围生成 [默认：casebook.toml 中的 build_audience]", "publish for this audience [default: build_audience in casebook.toml]";
    HelpServeAudience: "按这个公开范围预览 [默认：casebook.toml 中的 build_audience]", "serve for this audience [default: build_audience in casebook.toml]";
    HelpVerbose: "同时列出每个阶段的用时", "also print how long each stage took";
    HelpQuiet: "只输出警告和错误：不显示进度条和汇总行", "print only warnings and errors: no progress bar, no summary line";
    HelpPort: "端口 [默认：8000]", "port [default: 8000]";
    HelpBind: "监听的地址；127.0.0.1 只让本机访问 [默认：127.0.0.1]", "the address to listen on (127.0.0.1 keeps the site on this computer) [default: 127.0.0.1]";
    HelpAllowEdit: "监听的不是本机地址时也提供记录表单（打开表单要用终端上显示的密钥）", "offer the record form although the address is not this computer's alone (the form then needs the key printed on the terminal)";
    HelpPoll: "每半秒查看一次文件有无变化，不等系统通知（案例库在网络共享盘上时用）", "look for changes every half second instead of waiting for the system to report them (for libraries on network shares)";
    HelpInitDir: "在这个文件夹中新建 [默认：当前文件夹]", "the folder to create it in [default: .]";
    HelpFormat: "输出格式：text（文字，默认）或 json", "how to print the findings: text (the default) or json";
    HelpStrict: "把警告也当作错误（有警告时退出码为 1）", "treat warnings as errors (exit 1 when there are any)";
    HelpCheckNow: "按这个时间判断评估日期和迟到的回应 [默认：现在]", "judge review dates and late answers as of this time [default: now]";
    HelpQuery: "要找的词；每个词都须出现（繁体简体均可）", "words to find; every word must occur (Traditional or Simplified alike)";
    HelpSearchCategory: "只要这个舆情类别的记录", "only records of this category";
    HelpSearchDepartment: "只要这个责任单位的记录", "only records of this department";
    HelpSearchYear: "只要这一年的记录", "only records of this year";
    HelpSearchKind: "只要这一类文档：事件、预案、舆情分析或其他页面", "only documents of this type: 事件 (records), 预案 (plans), 舆情分析 (summaries) or 其他页面 (pages)";
    HelpLimit: "最多显示几条 [默认：10]", "how many results to show [default: 10]";
    HelpJson: "以 JSON 输出结果", "print the results as JSON";
    HelpSite: "生成的站点 [默认：案例库下的 public]", "the built site [default: ROOT/public]";
    HelpImportFiles: "台账文件（.xlsx、.xls、.csv），可给多个", "ledger files (.xlsx, .xls, .csv), one or more";
    HelpSheet: "只导入这个工作表（可重复）[默认：全部工作表]", "import only this sheet (may be repeated) [default: every sheet]";
    HelpDryRun: "只列出将写入的记录和所有问题，不写任何文件", "only list the records that would be written and every problem; write nothing";
    HelpUpdate: "对已有的记录，用台账的值改写台账中有的字段（正文和其他字段保持不变）", "for records that exist, rewrite the fields the ledger has (body and other fields are kept)";
    HelpReportId: "记录编号，如 YQ-2024-0031", "the record's id, e.g. YQ-2024-0031";
    HelpReportOut: "写到这个文件 [默认：编号.docx，在当前文件夹]", "write to this file [default: ID.docx in the current folder]";
    HelpReportNow: "回应是否逾期按这个时间判断 [默认：现在]", "judge whether the answer is overdue as of this time [default: now]";
    HelpCaseTitle: "事件名称", "the incident's title (事件名称)";
    HelpCaseCategory: "舆情类别（本案例库的类别之一）[默认：第一个]", "category (one of the library's) [default: the first]";
    HelpCaseDepartment: "责任单位", "the responsible department (责任单位)";
    HelpCaseTemplate: "正文从 content/plan-templates/ 中的这个模板开始 [默认：第一个事件模板，或常用章节]", "start the body from this template of content/plan-templates/ [default: the first case template, or the usual sections]";
    HelpCaseNow: "用这个时间作发现时间 [默认：现在]", "use this time as discovered_at [default: now]";
    HelpPlanTemplate: "content/plan-templates/ 中的模板名（不带 .md）[默认：第一个预案模板，或常用章节]", "template name in content/plan-templates/ (file name without .md) [default: the first plan template, or the usual sections]";
    HelpPlanId: "预案编号 [默认：模板名-年份]", "plan id [default: TEMPLATE-YEAR]";
    HelpPlanTitle: "预案名称 [默认：模板的标题]", "plan title [default: the template's title]";
    HelpPlanNow: "用这个日期作印发日期 [默认：今天]", "use this date as issued [default: today]";
    HelpPeriod: "统计周期：月（2024-03）、季度（2024-Q1）或年（2024）", "the period: a month (2024-03), a quarter (2024-Q1) or a year (2024)";
    HelpSummaryNow: "按这个时间判断逾期 [默认：现在]", "judge overdue cases as of this time [default: now]";

    // Usage errors.
    UnknownArgument: "不认识的参数 {arg}", "unexpected argument {arg}";
    UnknownCommand: "没有命令 {command}", "unrecognized command {command}";
    InvalidValue: "{arg} 的值 {value} 不对", "invalid value {value} for {arg}";
    MissingArgument: "缺少必需的参数 {arg}", "missing required argument {arg}";
    MissingCommand: "缺少命令", "a command is required";
    AndSuggest: "{line}；是不是要用 {it}？", "{line}; did you mean {it}?";
    OptionsPlaceholder: "[选项]", "[OPTIONS]";
    ConflictingArguments: "{arg} 不能与 {other} 同时使用", "{arg} cannot be used with {other}";
    WrongNumberOfValues: "{arg} 的值个数不对", "wrong number of values for {arg}";

    // Errors of the operating system, by kind.
    IoNotFound: "找不到文件或文件夹", "no such file or folder";
    IoDenied: "没有权限", "permission denied";
    IoFull: "磁盘已满", "the disk is full";
    IoReadOnly: "磁盘或文件夹只读", "the disk or folder is read-only";
    IoExists: "已经存在", "it already exists";
    IoOther: "系统错误 {detail}", "{detail}";

    // Rules across documents (check).
    RecordId: "记录编号", "record id";
    PlanId: "预案编号", "plan id";
    SummaryPeriod: "舆情分析的统计周期", "summary period";
    PageName: "页面名", "page name";
    TemplateName: "模板文件名", "template file name";
    APlan: "预案", "plan";
    ARecord: "记录", "record";
    RelatedSelf: "关联案例（related）中有本记录自己", "`related` names the record itself";
    RemoveSelf: "从 related 中删去本记录的编号", "remove its own id from `related`";
    SupersedesSelf: "预案不能替代它自己（supersedes）", "a plan cannot supersede itself";
    SupersedesValid: "替代了预案 {old}，但那个预案的有效性仍是 {status}", "supersedes `{old}`, whose status is still {status}";
    SetAbolished: "在 {file} 中写 status = \"{status}\" 和 abolished = 废止日期", "set status = \"{status}\" and abolished = … in {file}";
    AbolishedMissing: "有效性是废止，但缺少废止日期（abolished）", "status is 废止 but `abolished` (废止日期) is missing";
    AddAbolished: "加一行 abolished = 2024-01-01，写上废止的日期", "add abolished = 2024-01-01 with the date it was withdrawn";
    Duplicate: "{what} {id} 重复了", "duplicate {what} `{id}`";
    CaseOnly: "{what} {id} 与 {first} 只差字母大小写", "{what} `{id}` differs only in letter case from `{first}`";
    AlsoUsedBy: "{how}：{place} 也用了它", "{how}: also used by {place}";
    UniqueIgnoringCase: "每个{what}都必须唯一（不分字母大小写）：改掉其中一个", "every {what} must be unique, ignoring letter case: change one of the two";
    DoesNotExist: "{field} 中的{what} {id} 不存在", "`{field}` names {what} `{id}`, which does not exist";
    CheckIdsIn: "请对照 {folder} 中的{what}核对编号", "check the id against the {what}s in {folder}";
    EarlierThan: "{later} {later_at} 早于 {earlier} {earlier_at}", "{later} {later_at} is earlier than {earlier} {earlier_at}";
    TimeOrderHint: "时间应当依次为 首发时间 ≤ 发现时间 ≤ 报送时间 ≤ 首次回应时间 ≤ 办结时间：改正错的那个", "times must run first_published_at ≤ discovered_at ≤ reported_at ≤ first_response_at ≤ closed_at: correct whichever is wrong";

    // Advice (lint).
    ClosedAtMissing: "处置状态是已办结，但缺少办结时间（closed_at）", "status is 已办结 but `closed_at` (办结时间) is missing";
    AddClosedAt: "加一行 closed_at = 2024-03-15T17:00:00，或把处置状态改成实际的状态", "add closed_at = 2024-03-15T17:00:00, or set the status the case really has";
    PlanLacksSections: "预案缺少 {n} 个常见章节：{list}", "the plan lacks {n} of the usual sections: {list}";
    AddPlanSections: "用“## 总则”这样的标题补上，或从预案模板开始（casebook new plan --template …）", "add them as `## 总则`-style headings, or start from a plan template (`casebook new plan --template …`)";
    ReviewDue: "预案应在 {due} 前评估（每 {years} 年一次）", "the plan was due for review on {due} (every {years} years)";
    ReviewHint: "评估后写 last_reviewed = 评估日期，或把有效性改为修订中或废止", "review it and set last_reviewed = the review date, or mark it 修订中 / 废止";
    NarrowerReference: "{field} 中的 {id} 公开范围是 {theirs}，比本文档的 {ours} 窄：按 {ours} 发布时这个引用会被略去（连编号也不显示）", "`{field}` names {id}, whose audience {theirs} is narrower than this document's {ours}: a build for {ours} leaves the reference out (not even its id is shown)";
    NarrowerHint: "如果按 {ours} 看到本文档的人也应看到它，放宽那份文档的 audience；否则可以不理会这条提醒", "if those who see this document at {ours} should see it too, widen that document's audience; otherwise this is only for your information";
    LateWithoutLessons: "回应超过了时限，但记录中没有“经验教训”一节", "answered after the deadline, but the record has no 经验教训 section";
    AddLessons: "加一节“## 经验教训”，写明回应为何迟了、今后怎么改", "add a `## 经验教训` section saying why the answer came late and what will change";

    // Values with a shape of their own.
    AValidId: "可用的编号", "a valid id";
    IdHint: "编号只用字母、数字、- 和 _，它会成为页面的文件名，所以不能是 CON、NUL、COM1 等，也不能是 index 或 page-2（案例列表自己的页面），例如 \"YQ-2024-0031\"", "ids use only letters, digits, `-` and `_` and become the page's file name, so not CON, NUL, COM1 …, nor index or page-2 (the case list's own pages), e.g. \"YQ-2024-0031\"";
    AValidPlanId: "可用的预案编号", "a valid plan id";
    PlanIdHint: "预案编号只用小写字母、数字和 -（不能是 con、nul、com1 等），例如 \"dept-response-plan\"", "plan ids use lower-case letters, digits and `-` (not con, nul, com1 …), e.g. \"dept-response-plan\"";
    APeriod: "统计周期", "a period";
    PeriodHint: "月写成 \"2024-03\"，季度写成 \"2024-Q1\"，年写成 \"2024\"", "write a month as \"2024-03\", a quarter as \"2024-Q1\", a year as \"2024\"";
    AnIdPrefix: "编号前缀", "an id prefix";
    IdPrefixHint: "只用字母、数字、- 或 _，例如 id_prefix = \"YQ\"", "use letters, digits, `-` or `_`, e.g. id_prefix = \"YQ\"";
    TimezoneHint: "写成：timezone = \"+08:00\"", "write it like: timezone = \"+08:00\"";
    ADeadline: "回应时限", "a deadline";
    DeadlineHint: "写当日（same-day），或 1 分钟到 30 天之间的数和单位：\"2h\"、\"2小时\"、\"两小时\"、\"120分钟\"、\"1天\"", "write same-day (当日), or a number and a unit from 1 minute to 30 days: \"2h\", \"2小时\", \"两小时\", \"120分钟\", \"1天\"";
    CannotReadConfig: "无法读取配置文件：{reason}", "cannot read the configuration: {reason}";
    AudienceNotListed: "default_audience 和 build_audience 必须是 audiences 中的一个", "`default_audience` and `build_audience` must be among `audiences`";
    AudiencesAre: "audiences 有：{list}", "audiences are: {list}";

    // What a value should be, and what it was.
    AString: "文字", "a string";
    TrueOrFalse: "布尔值 true 或 false", "true or false";
    WholeNumber: "不小于 0 的整数", "a whole number ≥ 0";
    ListOfStrings: "文字的列表", "a list of strings";
    ADateTime: "日期和时间", "a date and time";
    ADateWithTime: "带时刻的日期", "a date with a time of day";
    ACalendarDate: "日历上有的日期", "a valid calendar date";
    ADateInYears: "1900 年至 2099 年之间的日期", "a date between the years 1900 and 2099";
    ATimeOfDay: "有效的时刻", "a valid time of day";
    AnOffset: "有效的时区", "a valid offset";
    ALocalTime: "当地有效的时间", "a valid local time";
    ADate: "日期", "a date";
    TheValue: "“{text}”", "{text}";
    TomlInteger: "整数", "an integer";
    TomlFloat: "小数", "a decimal number";
    TomlBoolean: "true/false 值", "true/false";
    TomlDatetime: "日期时间", "a datetime";
    TomlArray: "列表", "a list";
    TomlTable: "表", "a table";
}
