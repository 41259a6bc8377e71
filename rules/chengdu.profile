; xcheck policy profile: chengdu (成都市总工会)
;
; Chengdu's exit, follow-up and archive-management rules. Seed:
;   003 成都市总工会 成工办〔2019〕43号《成都市总工会办公室关于进一步做好
;       城镇困难职工解困脱困工作的通知》(2019年7月30日)
; 003 sets the exit procedure and a half-yearly archive clean-up but does not
; define the exit standard in numbers, nor asset criteria or audit
; tolerances: where it is silent the value is the rules.md default.
;
; Copy this file and edit it to make your own profile: keep every section
; and key (an unknown key is an error), change only the values.
; Lists are comma-separated; money is in yuan; rates take a % sign.

[audit]
; 003: "每半年至少开展一次档案集中清理核对工作"; this profile audits the
; exits of one such half-year. Set 12 for a yearly audit like the others.
period_months = 6

[income]
; 003 asks for "承诺书和收入证明" at archiving but states no months;
; rules.md default.
enroll_months = 3
; 003 names no factor: 1.0 = the local 低保 standard (rules.md default).
enroll_factor = 1.0
; 003 exits households "达到脱困标准" without defining the standard; rules.md
; default 6 (001's definition: 连续６个月超过当地低保标准).
exit_months = 6
; 003: only "对达到脱困标准的档案", after application, review and publicity
; ("公示时间不少于5个工作日"); same undefined standard, rules.md default 6.
wrong_exit_months = 6
; 003: "对返困且符合建档条件的家庭,及时重新建档立卡" - relapse means meeting
; the archiving test again: the same 3 months as enroll_months.
relapse_months = 3

[property]
; 003's survey form records "住房类型" and "住房面积" but sets no criterion;
; rules.md default.
residential_min = 2
; 003 names no usages; rules.md default.
commercial_usages = commercial, industrial

[vehicle]
; 003 is silent on vehicles; rules.md default.
kinds = car, truck
; 003 is silent; rules.md default.
min_price = 0

[business]
; 003 is silent on business roles; rules.md default.
roles = legal_rep, shareholder
; 003 is silent; rules.md default.
min_capital = 0

[thresholds]
; 003 aims at "应建尽建" and "该脱困的脱困、该注销的注销" but publishes no
; audit tolerance, nor do the seeds give the 全国总工会 standard. 1%
; placeholders as in default.profile (above all of 004's Yunnan 2020 figures).
;
; 003 silent; placeholder.
mis_enrollment_max = 1%
; 003: "该脱困的脱困、该注销的注销" is an aim, not a tolerance; placeholder.
missed_exit_max = 1%
; 003 silent; placeholder.
wrong_exit_max = 1%
; 003: "应建尽建" is an aim, not a tolerance; placeholder.
missed_enrollment_max = 1%
; 003: "每名困难职工指派一名工会干部作为帮扶联系责任人": full coverage.
pairing_coverage_min = 100%
; 003: "帮扶联系人每半年要开展一次入户走访"; a duty for every household,
; no tolerance stated: 100%.
visit_compliance_min = 100%
