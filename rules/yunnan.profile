; xcheck policy profile: yunnan (云南省总工会)
;
; Yunnan's pairing rules and its 2020 third-party audit. Seeds:
;   000 云南省总工会《云南省困难职工结对帮扶办法》(自2019年8月1日起执行)
;   004 云南2020年报道《我省全力打赢城市困难职工解困脱困攻坚战》
;       (《小康路上,不让一个困难职工掉队》, 第三方评估数字)
; Neither sets income months, asset criteria or audit tolerances: where they
; are silent the value is the rules.md default and the comment says so.
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
; 000 is silent. 004's evaluation looked back once at "2017年以来"; that is
; not a standing window. rules.md default: 12 months ending at as_of.
; period_months = 12   (the default)

[income]
; 000 and 004 set no enrollment income test; rules.md default.
; enroll_months = 3   (the default)
; 000 measures against "当地最低生活保障标准" and names no factor: 1.0
; (rules.md default).
; enroll_factor = 1.0   (the default)
; 000: "能脱困的困难职工实现脱困" but gives no number of months; rules.md
; default 6 (the 001 definition: 连续６个月超过当地低保标准).
; exit_months = 6   (the default)
; 000 asks for "精准退出", 004 for "应退尽退"; neither gives months.
; rules.md default.
; wrong_exit_months = 6   (the default)
; 004: "给予一定的渐退期,防止其返贫返困" - no length given; rules.md default.
; relapse_months = 3   (the default)

[property]
; 000 has cadres check "家庭资产、住房状况" on visits but sets no count;
; rules.md default.
; residential_min = 2   (the default)
; 000 names no usages (only "家庭资产"); rules.md default.
; commercial_usages = commercial, industrial   (the default)

[vehicle]
; 000 and 004 are silent on vehicles; rules.md default.
; kinds = car, truck   (the default)
; 000 and 004 are silent; rules.md default.
; min_price = 0   (the default)

[business]
; 000 and 004 are silent on business roles; rules.md default.
; roles = legal_rep, shareholder   (the default)
; 000 and 004 are silent; rules.md default.
; min_capital = 0   (the default)

[contact]
; 000 (四、(一)): "帮扶干部要按照具体任务要求，坚持每半年实地走访困难职工
; 家庭不少于1次、电话联系结对帮扶对象不少于2次".
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
; 000 and 004 set no exit publicity; rules.md default, 003's "公示时间不少于
; 5个工作日".
; publicity_workdays = 5   (the default)
; 000 sets no follow-up after exit; 004 speaks of "一定的渐退期" without a
; length. rules.md default, 003's "继续关注其家庭生活动态6个月以上,做好回访
; 记录".
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
; 000 and 004 set no months for candidates (004 reports a 漏评率 of 0.12%);
; rules.md default (CAND-ELIGIBLE), the same 3 months as enroll_months.
; income_months = 3   (the default)
; 000 measures against "当地最低生活保障标准" and names no factor;
; 1.0 = the local 低保 standard itself (rules.md default, as enroll_factor).
; income_factor = 1.0   (the default)

[thresholds]
; 004, third-party evaluation (2020): "错误率为0.05%、漏评率为0.12%、
; 错退率为0.04%、漏退率为0.81%,均低于全国总工会的标准". The national figure
; is not in the seeds; 1% is a placeholder above all four, so the 2020
; results pass here as they passed the national standard.
;
; 004: "错误率为0.05%" (rules.md reads it as 错评率); placeholder 1%.
; mis_enrollment_max = 1%   (the default)
; 004: "漏退率为0.81%"; placeholder 1%.
; missed_exit_max = 1%   (the default)
; 004: "错退率为0.04%"; placeholder 1%.
; wrong_exit_max = 1%   (the default)
; 004: "漏评率为0.12%"; placeholder 1%.
; missed_enrollment_max = 1%   (the default)
; 000: "确保困难职工家庭结对帮扶100%全覆盖". 004 reported 99.95% ("高于
; 全国总工会的标准"): enough nationally, short of 000's full coverage.
; pairing_coverage_min = 100%   (the default)
; 000: "每半年实地走访困难职工家庭不少于1次、电话联系结对帮扶对象不少于2次";
; a duty for every paired household, no tolerance stated: 100%.
; visit_compliance_min = 100%   (the default)
