; xcheck policy profile: default
;
; The rule defaults of shared/spec/rules.md, for a union whose province has
; no profile of its own. Most numbers here are set by no seed document; the
; comment above each parameter says where its value comes from. Seeds cited:
;   000 云南省总工会《云南省困难职工结对帮扶办法》(2019)
;   001 安徽省某市总工会《全市城市困难职工解困脱困攻坚年实施方案》(2019)
;   002 山东省总工会《关于建立健全困难职工联系人制度的意见》(2018)
;   003 成都市总工会 成工办〔2019〕43号 (exit procedure and follow-up)
;   004 云南2020年报道《小康路上,不让一个困难职工掉队》(第三方评估数字)
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
; No seed sets a standing audit window; rules.md default: the exits of the
; 12 months ending at as_of.
; period_months = 12   (the default)

[income]
; No seed says how many months before enrolled_on are examined; rules.md default.
; enroll_months = 3   (the default)
; No seed sets a factor; 1.0 = the local 低保 standard itself (rules.md default).
; enroll_factor = 1.0   (the default)
; rules.md default, from 001: 脱困 = "家庭人均收入连续６个月超过当地低保标准".
; exit_months = 6   (the default)
; The same exit standard (001, 6 months) must precede every exit; rules.md default.
; wrong_exit_months = 6   (the default)
; No seed sets a number of months for relapse (返困); rules.md default, the
; same 3-month test as enrollment.
; relapse_months = 3   (the default)

[property]
; 001 checks 房产 before archiving but sets no count; rules.md default.
; residential_min = 2   (the default)
; No seed names the usages that disqualify; rules.md default.
; commercial_usages = commercial, industrial   (the default)

[vehicle]
; 001 checks 车辆 before archiving but names no kinds; rules.md default.
; kinds = car, truck   (the default)
; No seed sets a price floor; 0 = every such vehicle counts (rules.md default).
; min_price = 0   (the default)

[business]
; 001 checks 工商 data (002 too: "工商、住建、公安等部门数据比对") but
; names no roles; rules.md default.
; roles = legal_rep, shareholder   (the default)
; No seed sets a capital floor; 0 = every active business counts (rules.md default).
; min_capital = 0   (the default)

[contact]
; No seed binds every province. This profile takes the Yunnan schedule
; (000): the first schedule rules.md lists for CT-VISITS, a provincial rule,
; and the only seed that sets both a visit and a phone duty for the same
; period: "坚持每半年实地走访困难职工家庭不少于1次、电话联系结对帮扶对象不少
; 于2次". 001's stricter city schedule (monthly call, quarterly visit) would
; flag households that meet a provincial rule; copy anhui-city, shandong or
; chengdu for theirs.
; 000: 每半年 (half-years: January-June, July-December).
; visit_period_months = 6   (the default)
; 000: 实地走访困难职工家庭不少于1次.
; visits_per_period = 1   (the default)
; 000: 每半年 ... 电话联系.
; call_period_months = 6   (the default)
; 000: 电话联系结对帮扶对象不少于2次.
; calls_per_period = 2   (the default)
; rules.md (CT-VISITS): only complete periods inside the last 12 months
; before as_of count; 12 months always hold one complete half-year.
; window_months = 12   (the default)

[exit]
; No seed but 003 sets the length of exit publicity; rules.md default,
; 003's "公示时间不少于5个工作日".
; publicity_workdays = 5   (the default)
; No seed but 003 sets a follow-up; rules.md default, 003's "帮扶联系人要
; 继续关注其家庭生活动态6个月以上,做好回访记录".
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
; No seed sets how many months a candidate's income is examined;
; rules.md default (CAND-ELIGIBLE), the same 3 months as enroll_months.
; income_months = 3   (the default)
; No seed sets a factor;
; 1.0 = the local 低保 standard itself (rules.md default, as enroll_factor).
; income_factor = 1.0   (the default)

[thresholds]
; The seeds do not publish the 全国总工会 (ACFTU) standard. 004 reports Yunnan
; 2020 figures 错误率0.05%、漏评率0.12%、错退率0.04%、漏退率0.81%,
; "均低于全国总工会的标准". The 1% values below are round placeholders above
; all four: replace them with your province's own standard.
;
; Placeholder, see above (004 Yunnan 2020: 0.05%, read as 错评率).
; mis_enrollment_max = 1%   (the default)
; Placeholder, see above (004 Yunnan 2020: 漏退率0.81%).
; missed_exit_max = 1%   (the default)
; Placeholder, see above (004 Yunnan 2020: 错退率0.04%).
; wrong_exit_max = 1%   (the default)
; Placeholder, see above (004 Yunnan 2020: 漏评率0.12%).
; missed_enrollment_max = 1%   (the default)
; 000: "确保困难职工家庭结对帮扶100%全覆盖"; 002 pairs every household
; with a contact person ("一一对应安排").
; pairing_coverage_min = 100%   (the default)
; No seed publishes a 走访达标率. Every seed makes visits a duty for every
; archived household (000, 001, 002, 003) and states no tolerance: 100%.
; visit_compliance_min = 100%   (the default)
