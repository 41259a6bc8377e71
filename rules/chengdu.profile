; xcheck policy profile: chengdu (成都市总工会)
;
; Chengdu's exit, follow-up and archive-management rules. Seed:
;   003 成都市总工会 成工办〔2019〕43号《成都市总工会办公室关于进一步做好
;       城镇困难职工解困脱困工作的通知》(2019年7月30日)
; 003 sets the exit procedure and a half-yearly archive clean-up but does not
; define the exit standard in numbers, nor asset criteria or audit
; tolerances: where it is silent the value is the rules.md default.
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
; 003: "每半年至少开展一次档案集中清理核对工作"; this profile audits the
; exits of one such half-year. Set 12 for a yearly audit like the others.
period_months = 6

[income]
; 003 asks for "承诺书和收入证明" at archiving but states no months;
; rules.md default.
; enroll_months = 3   (the default)
; 003 names no factor: 1.0 = the local 低保 standard (rules.md default).
; enroll_factor = 1.0   (the default)
; 003 exits households "达到脱困标准" without defining the standard; rules.md
; default 6 (001's definition: 连续６个月超过当地低保标准).
; exit_months = 6   (the default)
; 003: only "对达到脱困标准的档案", after application, review and publicity
; ("公示时间不少于5个工作日"); same undefined standard, rules.md default 6.
; wrong_exit_months = 6   (the default)
; 003: "对返困且符合建档条件的家庭,及时重新建档立卡" - relapse means meeting
; the archiving test again: the same 3 months as enroll_months.
; relapse_months = 3   (the default)

[property]
; 003's survey form records "住房类型" and "住房面积" but sets no criterion;
; rules.md default.
; residential_min = 2   (the default)
; 003 names no usages; rules.md default.
; commercial_usages = commercial, industrial   (the default)

[vehicle]
; 003 is silent on vehicles; rules.md default.
; kinds = car, truck   (the default)
; 003 is silent; rules.md default.
; min_price = 0   (the default)

[business]
; 003 is silent on business roles; rules.md default.
; roles = legal_rep, shareholder   (the default)
; 003 is silent; rules.md default.
; min_capital = 0   (the default)

[contact]
; 003 (一、(二) 健全日常走访制度): "帮扶联系人每半年要开展一次入户走访".
; 003: 每半年 (half-years: January-June, July-December).
; visit_period_months = 6   (the default)
; 003: 开展一次入户走访.
; visits_per_period = 1   (the default)
; 003 sets no phone duty: calls_per_period = 0 below, and this period is
; then unused (the visit period is repeated for clarity).
; call_period_months = 6   (the default)
; 003 sets no phone duty (it asks for a 联系卡, not for calls): no phone
; requirement.
calls_per_period = 0
; rules.md (CT-VISITS): only complete periods inside the last 12 months
; before as_of count; 12 months always hold one complete half-year.
; window_months = 12   (the default)

[exit]
; 003 (一、(三) 建立健全脱困退档和回访制度): "公示时间不少于5个工作日".
; publicity_workdays = 5   (the default)
; 003, same section: "对刚刚脱离困境的职工家庭,帮扶联系人要继续关注其家庭生活
; 动态6个月以上,做好回访记录" (and its form 解困脱困回访记录单).
; followup_after_months = 6   (the default)
; 003 sets no date for the 回访记录; rules.md default: a follow-up dated at
; least 5 months after the exit shows the household was followed to near
; the end of the 6 months.
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
; 003 aims at "应建尽建" but sets no months;
; rules.md default (CAND-ELIGIBLE), the same 3 months as enroll_months.
; income_months = 3   (the default)
; 003 names no factor;
; 1.0 = the local 低保 standard itself (rules.md default, as enroll_factor).
; income_factor = 1.0   (the default)

[thresholds]
; 003 aims at "应建尽建" and "该脱困的脱困、该注销的注销" but publishes no
; audit tolerance, nor do the seeds give the 全国总工会 standard. 1%
; placeholders as in default.profile (above all of 004's Yunnan 2020 figures).
;
; 003 silent; placeholder.
; mis_enrollment_max = 1%   (the default)
; 003: "该脱困的脱困、该注销的注销" is an aim, not a tolerance; placeholder.
; missed_exit_max = 1%   (the default)
; 003 silent; placeholder.
; wrong_exit_max = 1%   (the default)
; 003: "应建尽建" is an aim, not a tolerance; placeholder.
; missed_enrollment_max = 1%   (the default)
; 003: "每名困难职工指派一名工会干部作为帮扶联系责任人": full coverage.
; pairing_coverage_min = 100%   (the default)
; 003: "帮扶联系人每半年要开展一次入户走访"; a duty for every household,
; no tolerance stated: 100%.
; visit_compliance_min = 100%   (the default)
