; xcheck policy profile: default
;
; The rule defaults of shared/spec/rules.md, for a union whose province has
; no profile of its own. Most numbers here are set by no seed document; the
; comment above each parameter says where its value comes from. Seeds cited:
;   000 云南省总工会《云南省困难职工结对帮扶办法》(2019)
;   001 安徽省某市总工会《全市城市困难职工解困脱困攻坚年实施方案》(2019)
;   002 山东省总工会《关于建立健全困难职工联系人制度的意见》(2018)
;   004 云南2020年报道《小康路上,不让一个困难职工掉队》(第三方评估数字)
;
; Copy this file and edit it to make your own profile: keep every section
; and key (an unknown key is an error), change only the values.
; Lists are comma-separated; money is in yuan; rates take a % sign.

[audit]
; No seed sets a standing audit window; rules.md default: the exits of the
; 12 months ending at as_of.
period_months = 12

[income]
; No seed says how many months before enrolled_on are examined; rules.md default.
enroll_months = 3
; No seed sets a factor; 1.0 = the local 低保 standard itself (rules.md default).
enroll_factor = 1.0
; rules.md default, from 001: 脱困 = "家庭人均收入连续６个月超过当地低保标准".
exit_months = 6
; The same exit standard (001, 6 months) must precede every exit; rules.md default.
wrong_exit_months = 6
; No seed sets a number of months for relapse (返困); rules.md default, the
; same 3-month test as enrollment.
relapse_months = 3

[property]
; 001 checks 房产 before archiving but sets no count; rules.md default.
residential_min = 2
; No seed names the usages that disqualify; rules.md default.
commercial_usages = commercial, industrial

[vehicle]
; 001 checks 车辆 before archiving but names no kinds; rules.md default.
kinds = car, truck
; No seed sets a price floor; 0 = every such vehicle counts (rules.md default).
min_price = 0

[business]
; 001 checks 工商 data (002 too: "工商、住建、公安等部门数据比对") but
; names no roles; rules.md default.
roles = legal_rep, shareholder
; No seed sets a capital floor; 0 = every active business counts (rules.md default).
min_capital = 0

[thresholds]
; The seeds do not publish the 全国总工会 (ACFTU) standard. 004 reports Yunnan
; 2020 figures 错误率0.05%、漏评率0.12%、错退率0.04%、漏退率0.81%,
; "均低于全国总工会的标准". The 1% values below are round placeholders above
; all four: replace them with your province's own standard.
;
; Placeholder, see above (004 Yunnan 2020: 0.05%, read as 错评率).
mis_enrollment_max = 1%
; Placeholder, see above (004 Yunnan 2020: 漏退率0.81%).
missed_exit_max = 1%
; Placeholder, see above (004 Yunnan 2020: 错退率0.04%).
wrong_exit_max = 1%
; Placeholder, see above (004 Yunnan 2020: 漏评率0.12%).
missed_enrollment_max = 1%
; 000: "确保困难职工家庭结对帮扶100%全覆盖"; 002 pairs every household
; with a contact person ("一一对应安排").
pairing_coverage_min = 100%
; No seed publishes a 走访达标率. Every seed makes visits a duty for every
; archived household (000, 001, 002, 003) and states no tolerance: 100%.
visit_compliance_min = 100%
