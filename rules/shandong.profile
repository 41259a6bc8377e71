; xcheck policy profile: shandong (山东省总工会)
;
; Shandong's contact-person system. Seed:
;   002 山东省总工会《关于建立健全困难职工联系人制度的意见》(2018年7月19日)
; 002 is about pairing and visits; it sets no income test, no exit months,
; no asset criteria and no audit tolerances: where it is silent the value is
; the rules.md default and the comment says so.
;
; Copy this file and edit it to make your own profile. A parameter left out
; takes the default its rule family declares: the lines below that are
; commented out and marked "(the default)" show those values with their
; policy source; give a line only where your union differs. `xcheck rules
; -p NAME` lists every value and marks the defaults. An unknown key is an
; error. Lists are comma-separated; money is in yuan; rates take a % sign.
; The date lists of [exit] may repeat their key: each line adds to the list,
; and a profile giving one line of a list replaces that list's default.

[audit]
; 002 asks for regular "定期考核、验收通报" but sets no window; rules.md
; default: 12 months ending at as_of.
; period_months = 12   (the default)

[income]
; 002 approves archiving "符合建档条件" without an income test; rules.md default.
; enroll_months = 3   (the default)
; 002 names no factor: 1.0 = the local 低保 standard (rules.md default).
; enroll_factor = 1.0   (the default)
; 002 moves households "已经达到脱困条件的" to the 解困脱困档案库 but does
; not define the condition; rules.md default 6 (001's definition).
; exit_months = 6   (the default)
; 002 silent on what must precede an exit; rules.md default.
; wrong_exit_months = 6   (the default)
; 002 silent on relapse; rules.md default.
; relapse_months = 3   (the default)

[property]
; 002 verifies "工商、住建、公安等部门数据比对的反馈结果" (住建: housing)
; but sets no criterion; rules.md default.
; residential_min = 2   (the default)
; 002 names no usages; rules.md default.
; commercial_usages = commercial, industrial   (the default)

[vehicle]
; 002's comparison includes 公安 data but names no vehicle kinds; rules.md default.
; kinds = car, truck   (the default)
; 002 sets no price floor; rules.md default.
; min_price = 0   (the default)

[business]
; 002's comparison includes 工商 data but names no roles; rules.md default.
; roles = legal_rep, shareholder   (the default)
; 002 sets no capital floor; rules.md default.
; min_capital = 0   (the default)

[contact]
; 002 (三、(一)): "困难职工联系人每季度对困难职工家庭调查家访一次".
; 002: 每季度 (quarters: January, April, July, October).
visit_period_months = 3
; 002: 调查家访一次.
; visits_per_period = 1   (the default)
; 002 sets no phone duty: calls_per_period = 0 below, and this period is
; then unused (the visit period is repeated for clarity).
call_period_months = 3
; 002 sets no phone duty: no phone requirement.
calls_per_period = 0
; rules.md (CT-VISITS): only complete periods inside the last 12 months
; before as_of count; 12 months always hold at least three complete
; quarters.
; window_months = 12   (the default)

[exit]
; 002's exit (申请, 困难职工个人签字确认, 县级以上工会批准) has no
; publicity step. rules.md default, 003's "公示时间不少于5个工作日"; 0 would
; mean no minimum.
; publicity_workdays = 5   (the default)
; 002 sets no follow-up after exit; rules.md default, 003's "继续关注其家庭
; 生活动态6个月以上,做好回访记录".
; followup_after_months = 6   (the default)
; No seed dates the follow-up; rules.md default: a follow-up dated at least
; 5 months after the exit shows the household was followed to near the end
; of the 6 months.
; followup_min_months = 5   (the default)
; Public holidays (放假) and adjusted working days (调休上班) of the
; People's Republic of China, from the State Council General Office's yearly
; notices 国务院办公厅关于<year>年部分节假日安排的通知:
;   2024: 国办发明电〔2023〕7号 (2023年10月25日; 国务院公报2023年第31号)
;   2025: 国办发明电〔2024〕12号 (2024年11月12日)
;   2026: notice of 2025年11月4日 (full text released by 新华社 that day;
;         its document number was not verified, so it is not given here)
; Only these three years are listed: a day of another year counts as a
; working day when it is Monday to Friday. When the next notice is
; published, add one holidays line and one workdays line for its year: the
; key may repeat, each line adding to the list. Regional holidays (e.g. of
; ethnic autonomous areas) are not included; add them if your union keeps
; them.
;
; The days off as each notice lists them. A holiday "与周末连休" is listed
; alone (2024-01-01, 2024-06-10): the weekend around it is off anyway. The
; 2024 notice only encourages a day off on 除夕 (2024-02-09): not listed.
; holidays = 2024-01-01, 2024-02-10..2024-02-17, 2024-04-04..2024-04-06, 2024-05-01..2024-05-05, 2024-06-10, 2024-09-15..2024-09-17, 2024-10-01..2024-10-07
; holidays = 2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01..2025-05-05, 2025-05-31..2025-06-02, 2025-10-01..2025-10-08
; holidays = 2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06, 2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07
; The weekend days the same notices make working days ("上班"); only
; Saturdays and Sundays are accepted here.
; workdays = 2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, 2024-09-29, 2024-10-12
; workdays = 2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11   (the default)
; workdays = 2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10

[candidate]
; 002 asks contacts to report "新发现的困难职工家庭" but sets no income test;
; rules.md default (CAND-ELIGIBLE), the same 3 months as enroll_months.
; income_months = 3   (the default)
; 002 names no factor;
; 1.0 = the local 低保 standard itself (rules.md default, as enroll_factor).
; income_factor = 1.0   (the default)

[thresholds]
; 002 publishes no audit tolerances, nor do the seeds give the 全国总工会
; standard. 1% placeholders as in default.profile (above all of 004's
; Yunnan 2020 figures).
;
; 002 silent; placeholder.
; mis_enrollment_max = 1%   (the default)
; 002 silent; placeholder.
; missed_exit_max = 1%   (the default)
; 002 silent; placeholder.
; wrong_exit_max = 1%   (the default)
; 002 silent; placeholder.
; missed_enrollment_max = 1%   (the default)
; 002: "推行每个困难职工家庭与所在单位、联系人之间的一一对应安排": every
; household has its contact person, i.e. full coverage.
; pairing_coverage_min = 100%   (the default)
; 002: "困难职工联系人每季度对困难职工家庭调查家访一次"; a duty for every
; household, no tolerance stated: 100%.
; visit_compliance_min = 100%   (the default)
