; xcheck policy profile: yunnan (云南省总工会)
;
; Yunnan's pairing rules and its 2020 third-party audit. Seeds:
;   000 云南省总工会《云南省困难职工结对帮扶办法》(自2019年8月1日起执行)
;   004 云南2020年报道《我省全力打赢城市困难职工解困脱困攻坚战》
;       (《小康路上,不让一个困难职工掉队》, 第三方评估数字)
; Neither sets income months, asset criteria or audit tolerances: where they
; are silent the value is the rules.md default and the comment says so.
;
; Copy this file and edit it to make your own profile: keep every section
; and key (an unknown key is an error), change only the values.
; Lists are comma-separated; money is in yuan; rates take a % sign.

[audit]
; 000 is silent. 004's evaluation looked back once at "2017年以来"; that is
; not a standing window. rules.md default: 12 months ending at as_of.
period_months = 12

[income]
; 000 and 004 set no enrollment income test; rules.md default.
enroll_months = 3
; 000 measures against "当地最低生活保障标准" and names no factor: 1.0
; (rules.md default).
enroll_factor = 1.0
; 000: "能脱困的困难职工实现脱困" but gives no number of months; rules.md
; default 6 (the 001 definition: 连续６个月超过当地低保标准).
exit_months = 6
; 000 asks for "精准退出", 004 for "应退尽退"; neither gives months.
; rules.md default.
wrong_exit_months = 6
; 004: "给予一定的渐退期,防止其返贫返困" - no length given; rules.md default.
relapse_months = 3

[property]
; 000 has cadres check "家庭资产、住房状况" on visits but sets no count;
; rules.md default.
residential_min = 2
; 000 names no usages (only "家庭资产"); rules.md default.
commercial_usages = commercial, industrial

[vehicle]
; 000 and 004 are silent on vehicles; rules.md default.
kinds = car, truck
; 000 and 004 are silent; rules.md default.
min_price = 0

[business]
; 000 and 004 are silent on business roles; rules.md default.
roles = legal_rep, shareholder
; 000 and 004 are silent; rules.md default.
min_capital = 0

[thresholds]
; 004, third-party evaluation (2020): "错误率为0.05%、漏评率为0.12%、
; 错退率为0.04%、漏退率为0.81%,均低于全国总工会的标准". The national figure
; is not in the seeds; 1% is a placeholder above all four, so the 2020
; results pass here as they passed the national standard.
;
; 004: "错误率为0.05%" (rules.md reads it as 错评率); placeholder 1%.
mis_enrollment_max = 1%
; 004: "漏退率为0.81%"; placeholder 1%.
missed_exit_max = 1%
; 004: "错退率为0.04%"; placeholder 1%.
wrong_exit_max = 1%
; 004: "漏评率为0.12%"; placeholder 1%.
missed_enrollment_max = 1%
; 000: "确保困难职工家庭结对帮扶100%全覆盖". 004 reported 99.95% ("高于
; 全国总工会的标准"): enough nationally, short of 000's full coverage.
pairing_coverage_min = 100%
; 000: "每半年实地走访困难职工家庭不少于1次、电话联系结对帮扶对象不少于2次";
; a duty for every paired household, no tolerance stated: 100%.
visit_compliance_min = 100%
