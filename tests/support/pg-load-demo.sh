#!/bin/sh
# pg-load-demo.sh - loads the demo fixtures (fixtures/demo/) into a running
# PostgreSQL as the departments would hold them: one schema per department,
# their own table and column names (pinyin abbreviations, Chinese, the
# upper-case codes of the 金保 social-insurance systems), every column text
# as exported except a few real `date` columns, coded values as they are
# in the files, and a btree index on the ID-number column of the two big
# reference tables.
#
#   dataset            table                         from
#   household          gonghui.kunnan_dangan          household.csv (BOM, CRLF)
#   member             gonghui.kunnan_chengyuan       member.csv
#   hukou              gongan.hukou_export            hukou.csv.gz
#   social_insurance   renshe.shebao_jiaofei          social_insurance.csv (GB18030, '|')
#   property           zrzy.bdc_qlrxx                 property.csv
#   vehicle            jiaojing.jdc_djxx              vehicle.csv.gz
#   business           scjg.qy_rzry                   business.csv
#   dibao_standard     minzheng.dibao_bz              dibao_standard.csv
#   contact            gonghui.bangfu_zoufang         contact.csv
#   exit_record        gonghui.tuidang_chengxu        exit_record.csv
#   followup           gonghui.tuidang_huifang        followup.csv
#   payment            gonghui.bangfu_zijin           payment.csv
#   candidate          minzheng.dibao_mingdan         candidate.csv
#
# Usage: pg-load-demo.sh [OUT_INI]
# Connects with libpq's PG* variables (tests/support/pg.sh sets them) and
# replaces those schemas if they exist. Checks that every table holds as
# many rows as its file has data lines. With OUT_INI, also writes there a
# copy of tests/support/pg-demo.ini (the xcheck configuration for these
# tables) whose file paths are absolute, so that it works from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
demo=$root/fixtures/demo
export PGCLIENTENCODING=UTF8

sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

for f in household.csv member.csv hukou.csv.gz social_insurance.csv property.csv \
    vehicle.csv.gz business.csv dibao_standard.csv contact.csv exit_record.csv followup.csv \
    payment.csv candidate.csv; do
    [ -r "$demo/$f" ] || { echo "pg-load-demo.sh: cannot read $demo/$f" >&2; exit 1; }
done

sql -1 <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS gonghui, gongan, renshe, zrzy, jiaojing, scjg, minzheng CASCADE;

CREATE SCHEMA gonghui;    COMMENT ON SCHEMA gonghui  IS '工会：困难职工档案';
CREATE SCHEMA gongan;     COMMENT ON SCHEMA gongan   IS '公安：户籍人口';
CREATE SCHEMA renshe;     COMMENT ON SCHEMA renshe   IS '人力资源和社会保障';
CREATE SCHEMA zrzy;       COMMENT ON SCHEMA zrzy     IS '自然资源：不动产登记';
CREATE SCHEMA jiaojing;   COMMENT ON SCHEMA jiaojing IS '公安交警：机动车';
CREATE SCHEMA scjg;       COMMENT ON SCHEMA scjg     IS '市场监管：企业登记';
CREATE SCHEMA minzheng;   COMMENT ON SCHEMA minzheng IS '民政：最低生活保障标准';

CREATE TABLE gonghui.kunnan_dangan (
    dabh   text,   -- 档案号
    zgsfzh text,   -- 职工身份证号
    zgxm   text,   -- 职工姓名
    xzqh   text,   -- 行政区划
    dajb   text,   -- 档案级别
    dazt   text,   -- 档案状态
    jdrq   text,   -- 建档日期 YYYYMMDD
    tdrq   text,   -- 退档日期 YYYYMMDD
    zkyy   text,   -- 致困原因
    bfgb   text    -- 帮扶干部
);
COMMENT ON TABLE gonghui.kunnan_dangan IS '困难职工家庭档案';

CREATE TABLE gonghui.kunnan_chengyuan (
    dabh  text,    -- 档案号
    sfzh  text,    -- 身份证号
    xm    text,    -- 姓名
    yhzgx text     -- 与户主关系
);
COMMENT ON TABLE gonghui.kunnan_chengyuan IS '困难职工家庭成员';

CREATE TABLE gongan.hukou_export (
    gmsfhm    text,                 -- 公民身份号码
    xm        text,                 -- 姓名
    hjdz_xzqh text,                 -- 户籍地址行政区划
    rkzt      text,                 -- 人口状态 0 正常 1 死亡 2 迁出 3 注销
    ztbgrq    date,                 -- 状态变更日期
    rksj      timestamptz NOT NULL DEFAULT now()   -- 入库时间, not exported
);
COMMENT ON TABLE gongan.hukou_export IS '户籍人口信息导出';

CREATE TABLE renshe.shebao_jiaofei (
    "ID"     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "AAC002" text,                  -- 社会保障号码（公民身份号码）
    "AAE002" text,                  -- 费款所属期 YYYYMM
    "AAE140" text,                  -- 险种类型
    "AAB004" text,                  -- 单位名称
    "AAE180" text                   -- 缴费基数
);
COMMENT ON TABLE renshe.shebao_jiaofei IS '社会保险缴费明细';

CREATE TABLE zrzy.bdc_qlrxx (
    权利人证件号码 text,
    不动产权证书号 text,
    规划用途       text,
    建筑面积       text,
    坐落行政区划   text,
    登记时间       date,
    注销时间       date
);
COMMENT ON TABLE zrzy.bdc_qlrxx IS '不动产权利人信息';

CREATE TABLE jiaojing.jdc_djxx (
    sfzmhm text,   -- 身份证明号码
    hphm   text,   -- 号牌号码
    cllx   text,   -- 车辆类型 GA 24.4
    ccdjrq date,   -- 初次登记日期
    zxrq   text,   -- 注销日期
    gmjg   text    -- 购买价格
);
COMMENT ON TABLE jiaojing.jdc_djxx IS '机动车登记信息';

CREATE TABLE scjg.qy_rzry (
    zjhm     text, -- 证件号码
    tyshxydm text, -- 统一社会信用代码
    rzlx     text, -- 任职类型
    zczb     text, -- 注册资本
    djzt     text, -- 登记状态
    clrq     text, -- 成立日期
    zxrq     text  -- 注销日期
);
COMMENT ON TABLE scjg.qy_rzry IS '企业任职人员';

CREATE TABLE minzheng.dibao_bz (
    xzqhdm text,   -- 行政区划代码
    zxrq   text,   -- 执行日期
    bzje   text    -- 标准金额（元/月）
);
COMMENT ON TABLE minzheng.dibao_bz IS '城乡最低生活保障标准';

CREATE TABLE gonghui.bangfu_zoufang (
    dabh text,     -- 档案号
    lxrq text,     -- 联系日期 YYYY年M月D日
    lxfs text,     -- 联系方式 入户走访 / 电话
    bfgb text      -- 帮扶干部
);
COMMENT ON TABLE gonghui.bangfu_zoufang IS '结对帮扶走访联系记录';

CREATE TABLE gonghui.tuidang_chengxu (
    dabh text,     -- 档案号
    sqrq date,     -- 申请日期
    gsks date,     -- 公示开始
    gsjs date,     -- 公示结束
    sprq date,     -- 审批日期
    gzrq date      -- 书面告知日期
);
COMMENT ON TABLE gonghui.tuidang_chengxu IS '脱困退档程序记录';

CREATE TABLE gonghui.tuidang_huifang (
    dabh text,     -- 档案号
    hfrq text      -- 回访日期 YYYYMMDD
);
COMMENT ON TABLE gonghui.tuidang_huifang IS '退档后跟踪回访';

CREATE TABLE gonghui.bangfu_zijin (
    sfzh text,     -- 身份证号
    ffrq date,     -- 发放日期
    bfxm text,     -- 帮扶项目
    ffje text,     -- 发放金额
    ffqd text,     -- 发放渠道
    grfd text      -- 个人负担（医疗救助）
);
COMMENT ON TABLE gonghui.bangfu_zijin IS '帮扶资金发放明细';

CREATE TABLE minzheng.dibao_mingdan (
    sfzh text,     -- 身份证号
    xm   text,     -- 姓名
    mdly text,     -- 名单来源
    xzqh text      -- 所在行政区划
);
COMMENT ON TABLE minzheng.dibao_mingdan IS '低保及低收入人员名单';
SQL

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
bom=$(printf '\357\273\277')
cr=$(printf '\r')

# utf8 FILE ENCODING OUT: the file as UTF-8 text without BOM, CRs or blank
# lines, step by step so that a failing step is seen.
utf8() {
    case $1 in
    *.gz) gzip -dc -- "$1" >"$work/raw" || return 1 ;;
    *) cp -- "$1" "$work/raw" || return 1 ;;
    esac
    if [ "$2" != utf-8 ]; then
        iconv -f "$2" -t UTF-8 "$work/raw" >"$work/conv" || return 1
        mv "$work/conv" "$work/raw"
    fi
    sed -e "1s/^$bom//" -e "s/$cr\$//" -e '/^$/d' "$work/raw" >"$3"
}

# load FILE ENCODING DELIMITER TABLE(COLUMNS): COPY from the file, header
# skipped, then the row count checked against the file's data lines.
load() {
    file=$demo/$1
    utf8 "$file" "$2" "$work/data" || {
        echo "pg-load-demo.sh: cannot read $file as $2" >&2
        exit 1
    }
    want=$(($(wc -l <"$work/data") - 1))
    table=${4%%(*}
    sql -c "SET datestyle = ISO, YMD" \
        -c "COPY $4 FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER '$3')" <"$work/data" || {
        echo "pg-load-demo.sh: loading $file into $table failed" >&2
        exit 1
    }
    got=$(sql -At -c "SELECT count(*) FROM $table")
    if [ "$got" != "$want" ]; then
        echo "pg-load-demo.sh: $table has $got rows, $file $want" >&2
        exit 1
    fi
    echo "loaded $table: $got rows from $1"
}

load household.csv utf-8 , 'gonghui.kunnan_dangan(dabh, zgsfzh, zgxm, xzqh, dajb, dazt, jdrq, tdrq, zkyy, bfgb)'
load member.csv utf-8 , 'gonghui.kunnan_chengyuan(dabh, sfzh, xm, yhzgx)'
load hukou.csv.gz utf-8 , 'gongan.hukou_export(gmsfhm, xm, hjdz_xzqh, rkzt, ztbgrq)'
load social_insurance.csv GB18030 '|' 'renshe.shebao_jiaofei("AAC002", "AAE002", "AAE140", "AAB004", "AAE180")'
load property.csv utf-8 , 'zrzy.bdc_qlrxx(权利人证件号码, 不动产权证书号, 规划用途, 建筑面积, 坐落行政区划, 登记时间, 注销时间)'
load vehicle.csv.gz utf-8 , 'jiaojing.jdc_djxx(sfzmhm, hphm, cllx, ccdjrq, zxrq, gmjg)'
load business.csv utf-8 , 'scjg.qy_rzry(zjhm, tyshxydm, rzlx, zczb, djzt, clrq, zxrq)'
load dibao_standard.csv utf-8 , 'minzheng.dibao_bz(xzqhdm, zxrq, bzje)'
load contact.csv utf-8 , 'gonghui.bangfu_zoufang(dabh, lxrq, lxfs, bfgb)'
load exit_record.csv utf-8 , 'gonghui.tuidang_chengxu(dabh, sqrq, gsks, gsjs, sprq, gzrq)'
load followup.csv utf-8 , 'gonghui.tuidang_huifang(dabh, hfrq)'
load payment.csv utf-8 , 'gonghui.bangfu_zijin(sfzh, ffrq, bfxm, ffje, ffqd, grfd)'
load candidate.csv utf-8 , 'minzheng.dibao_mingdan(sfzh, xm, mdly, xzqh)'

sql <<'SQL'
CREATE INDEX hukou_export_gmsfhm_idx ON gongan.hukou_export (gmsfhm);
CREATE INDEX shebao_jiaofei_aac002_idx ON renshe.shebao_jiaofei ("AAC002");
ANALYZE gonghui.kunnan_dangan, gonghui.kunnan_chengyuan, gongan.hukou_export,
    renshe.shebao_jiaofei, zrzy.bdc_qlrxx, jiaojing.jdc_djxx, scjg.qy_rzry, minzheng.dibao_bz,
    gonghui.bangfu_zoufang, gonghui.tuidang_chengxu, gonghui.tuidang_huifang,
    gonghui.bangfu_zijin, minzheng.dibao_mingdan;
SQL

if [ $# -ge 1 ]; then
    # Relative paths ../../fixtures/demo/X become $demo/X.
    demo_sed=$(printf '%s\n' "$demo" | sed 's/[#&\\]/\\&/g')
    sed -e "s#^path = \.\./\.\./fixtures/demo/#path = $demo_sed/#" "$here/pg-demo.ini" >"$1"
    if grep -q '^path = \.\.' "$1"; then
        echo "pg-load-demo.sh: a relative path is left in $1" >&2
        exit 1
    fi
    echo "wrote $1"
fi
