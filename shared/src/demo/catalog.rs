//! What branch offices actually handle (domain/work-summaries-2011.txt,
//! DOMAIN §4): case types with their causes, typical parties, the articles
//! cited, fine ranges and goods; complaint subjects; report clues; petitions.
//! Data, not code: tune the weights here.

/// Who the party of a case type usually is.
#[derive(Debug, Clone, Copy)]
pub enum PartyKind {
    /// 个体工商户 with one of these business words ("副食店").
    Shop(&'static [&'static str]),
    /// 企业 with one of these name suffixes ("商贸有限公司").
    Company(&'static [&'static str]),
    /// 自然人.
    Person,
}

/// Which campaign a case or inspection belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignKind {
    /// 双打 — 打击侵犯知识产权和制售假冒伪劣商品.
    DoubleStrike,
    /// 红盾护农 — 农资.
    RedShieldFarm,
    /// 节日市场.
    HolidayMarket,
    /// 打击假冒名酒, with the liquor makers' anti-counterfeiting offices.
    FakeLiquor,
}

/// Goods involved: (name, unit, unit price range in yuan).
pub type Goods = (&'static str, &'static str, u32, u32);

#[derive(Debug, Clone, Copy)]
pub struct CaseType {
    pub category: &'static str,
    pub weight: u32,
    /// 案由; "{goods}" is replaced by the goods name.
    pub causes: &'static [&'static str],
    pub parties: &'static [PartyKind],
    pub violated: &'static str,
    pub basis: &'static str,
    /// Usual fine range in yuan (log-uniform inside it).
    pub fine: (u32, u32),
    /// Share of 大要案 (fine 100,000 yuan and more).
    pub big: f64,
    pub goods: &'static [Goods],
    /// Who identifies or tests the goods (鉴定/权利人辨认), if anyone.
    pub appraisal: Option<(&'static str, &'static str)>,
    pub campaign: Option<CampaignKind>,
}

const SHOPS_FOOD: PartyKind = PartyKind::Shop(&["副食店", "超市", "便利店", "食杂店", "粮油店"]);
const SHOPS_LIQUOR: PartyKind = PartyKind::Shop(&["烟酒商行", "名酒行", "副食店", "超市"]);
const FIRMS_TRADE: PartyKind =
    PartyKind::Company(&["商贸有限公司", "超市有限公司", "贸易有限公司"]);

pub const CASE_TYPES: &[CaseType] = &[
    CaseType {
        category: "trademark",
        weight: 12,
        causes: &[
            "销售假冒注册商标的商品（{goods}）",
            "销售侵犯注册商标专用权的商品（{goods}）",
        ],
        parties: &[
            SHOPS_LIQUOR,
            SHOPS_LIQUOR,
            PartyKind::Company(&["商贸有限公司", "酒业有限公司"]),
        ],
        violated: "《中华人民共和国商标法》第五十七条第（三）项",
        basis: "《中华人民共和国商标法》第六十条第二款",
        fine: (8_000, 150_000),
        big: 0.12,
        goods: &[
            ("贵州茅台酒（53%vol 500ml 飞天）", "瓶", 900, 2_700),
            ("五粮液（52%vol 500ml）", "瓶", 600, 1_100),
            ("剑南春（52%vol 500ml）", "瓶", 280, 480),
            ("国窖1573（52%vol 500ml）", "瓶", 600, 1_100),
            ("洋河梦之蓝M6（52%vol 550ml）", "瓶", 400, 700),
            ("汾酒青花30（53%vol 500ml）", "瓶", 500, 900),
        ],
        appraisal: Some(("owner_identification", "商标注册人打假办公室")),
        campaign: Some(CampaignKind::FakeLiquor),
    },
    CaseType {
        category: "trademark",
        weight: 6,
        causes: &["销售侵犯注册商标专用权的商品（{goods}）"],
        parties: &[
            PartyKind::Shop(&["鞋店", "服装店", "汽配商行", "日用百货店"]),
            FIRMS_TRADE,
        ],
        violated: "《中华人民共和国商标法》第五十七条第（三）项",
        basis: "《中华人民共和国商标法》第六十条第二款",
        fine: (3_000, 60_000),
        big: 0.03,
        goods: &[
            ("“耐克”运动鞋", "双", 80, 260),
            ("“阿迪达斯”运动服", "套", 90, 300),
            ("“壳牌”机油", "桶", 60, 180),
            ("“立白”洗衣液", "瓶", 15, 40),
            ("“海飞丝”洗发水", "瓶", 20, 60),
            ("“米其林”轮胎", "条", 300, 900),
        ],
        appraisal: Some(("owner_identification", "商标注册人")),
        campaign: Some(CampaignKind::DoubleStrike),
    },
    CaseType {
        category: "food",
        weight: 12,
        causes: &[
            "销售超过保质期的食品（{goods}）",
            "经营标签不符合规定的预包装食品（{goods}）",
            "销售不符合食品安全标准的食品（{goods}）",
        ],
        parties: &[SHOPS_FOOD, SHOPS_FOOD, FIRMS_TRADE],
        violated: "《中华人民共和国食品安全法》第三十四条第（十）项",
        basis: "《中华人民共和国食品安全法》第一百二十四条第一款",
        fine: (5_000, 60_000),
        big: 0.02,
        goods: &[
            ("月饼", "盒", 40, 200),
            ("牛奶", "箱", 40, 90),
            ("饼干", "袋", 5, 20),
            ("速冻水饺", "袋", 12, 30),
            ("食用植物油", "桶", 50, 120),
            ("散装白酒", "斤", 15, 60),
            ("腊肉", "斤", 25, 45),
        ],
        appraisal: Some(("testing", "青州市食品药品检验检测中心")),
        campaign: Some(CampaignKind::HolidayMarket),
    },
    CaseType {
        category: "food",
        weight: 4,
        causes: &[
            "使用超过保质期的食品原料加工食品",
            "从业人员未取得健康证明从事接触直接入口食品的工作",
        ],
        parties: &[
            PartyKind::Shop(&["饭店", "小吃店", "早餐店", "火锅店"]),
            PartyKind::Company(&["餐饮管理有限公司"]),
        ],
        violated: "《中华人民共和国食品安全法》第三十四条、第四十五条",
        basis: "《中华人民共和国食品安全法》第一百二十四条、第一百二十六条",
        fine: (5_000, 50_000),
        big: 0.0,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "unfair_competition.bribery",
        weight: 3,
        causes: &[
            "商业贿赂（给予采购人员回扣）",
            "以账外暗中给付回扣的方式销售{goods}",
        ],
        parties: &[PartyKind::Company(&[
            "医药有限公司",
            "医疗器械有限公司",
            "建材有限公司",
            "商贸有限公司",
        ])],
        violated: "《中华人民共和国反不正当竞争法》第七条第一款",
        basis: "《中华人民共和国反不正当竞争法》第十九条",
        fine: (100_000, 400_000),
        big: 0.9,
        goods: &[
            ("医用耗材", "批", 20_000, 200_000),
            ("建筑材料", "批", 30_000, 300_000),
        ],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "unfair_competition.false_publicity",
        weight: 4,
        causes: &[
            "对商品的性能、功能作虚假的商业宣传（{goods}）",
            "通过组织虚假交易帮助他人进行虚假宣传",
        ],
        parties: &[PartyKind::Company(&[
            "健康科技有限公司",
            "生物科技有限公司",
            "电子商务有限公司",
        ])],
        violated: "《中华人民共和国反不正当竞争法》第八条第一款",
        basis: "《中华人民共和国反不正当竞争法》第二十条第一款",
        fine: (20_000, 200_000),
        big: 0.25,
        goods: &[
            ("保健床垫", "张", 2_000, 9_800),
            ("磁疗仪", "台", 1_200, 6_800),
            ("“量子”保健杯", "个", 300, 1_980),
        ],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "pyramid_selling",
        weight: 2,
        causes: &["介绍、诱骗他人参加传销", "组织策划传销", "参加传销"],
        parties: &[PartyKind::Person],
        violated: "《禁止传销条例》第七条",
        basis: "《禁止传销条例》第二十四条",
        fine: (1_000, 200_000),
        big: 0.3,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "unlicensed",
        weight: 9,
        causes: &[
            "无照经营农资（{goods}）",
            "未依法取得营业执照从事经营活动",
            "无证无照经营废旧物资回收",
        ],
        parties: &[PartyKind::Person],
        violated: "《无证无照经营查处办法》第二条",
        basis: "《无证无照经营查处办法》第十三条",
        fine: (1_000, 10_000),
        big: 0.0,
        goods: &[
            ("复合肥料", "袋", 90, 180),
            ("农药", "瓶", 15, 60),
            ("玉米种子", "袋", 30, 80),
        ],
        appraisal: None,
        campaign: Some(CampaignKind::RedShieldFarm),
    },
    CaseType {
        category: "product_quality",
        weight: 6,
        causes: &[
            "销售不合格产品（{goods}）",
            "销售国家明令淘汰的产品（{goods}）",
        ],
        parties: &[
            PartyKind::Shop(&["农资经营部", "农资店", "五金店", "电器商行"]),
            PartyKind::Company(&["农资有限公司", "建材有限公司"]),
        ],
        violated: "《中华人民共和国产品质量法》第三十九条",
        basis: "《中华人民共和国产品质量法》第五十条",
        fine: (3_000, 80_000),
        big: 0.03,
        goods: &[
            ("复合肥料", "吨", 2_200, 3_600),
            ("电线电缆", "卷", 120, 460),
            ("电动自行车", "辆", 1_500, 3_200),
        ],
        appraisal: Some(("inspection_test", "青州市产品质量监督检验所")),
        campaign: Some(CampaignKind::RedShieldFarm),
    },
    CaseType {
        category: "advertising",
        weight: 4,
        causes: &[
            "发布虚假广告",
            "发布含有“国家级”“最佳”等用语的广告",
            "发布声称保健食品具有疾病治疗功能的广告",
        ],
        parties: &[PartyKind::Company(&[
            "广告传媒有限公司",
            "装饰工程有限公司",
            "家具有限公司",
            "大药房有限公司",
        ])],
        violated: "《中华人民共和国广告法》第九条、第二十八条",
        basis: "《中华人民共和国广告法》第五十五条、第五十七条",
        fine: (10_000, 200_000),
        big: 0.1,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "price",
        weight: 6,
        causes: &[
            "不按规定明码标价",
            "利用虚假的或者使人误解的价格手段诱骗消费者交易",
        ],
        parties: &[
            PartyKind::Shop(&["超市", "服装店", "水果店", "眼镜店"]),
            FIRMS_TRADE,
        ],
        violated: "《中华人民共和国价格法》第十三条、第十四条",
        basis: "《明码标价和禁止价格欺诈规定》第二十五条",
        fine: (1_000, 50_000),
        big: 0.0,
        goods: &[],
        appraisal: None,
        campaign: Some(CampaignKind::HolidayMarket),
    },
    CaseType {
        category: "metrology",
        weight: 3,
        causes: &["使用未经检定的计量器具", "破坏计量器具准确度（电子秤作弊）"],
        parties: &[PartyKind::Shop(&["水果摊", "蔬菜摊", "肉铺", "粮油店"])],
        violated: "《中华人民共和国计量法》第九条",
        basis: "《中华人民共和国计量法实施细则》第四十三条",
        fine: (500, 2_000),
        big: 0.0,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "cosmetics",
        weight: 3,
        causes: &[
            "经营超过使用期限的化妆品（{goods}）",
            "经营未备案的普通化妆品",
        ],
        parties: &[PartyKind::Shop(&["化妆品店", "美容院", "日用百货店"])],
        violated: "《化妆品监督管理条例》第三十八条",
        basis: "《化妆品监督管理条例》第六十八条",
        fine: (10_000, 30_000),
        big: 0.0,
        goods: &[
            ("面霜", "瓶", 60, 380),
            ("洗发水", "瓶", 20, 70),
            ("口红", "支", 40, 260),
        ],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "drug",
        weight: 3,
        causes: &["未凭处方销售处方药", "销售超过有效期的药品（{goods}）"],
        parties: &[
            PartyKind::Shop(&["大药房", "药店", "诊所"]),
            PartyKind::Company(&["医药连锁有限公司"]),
        ],
        violated: "《中华人民共和国药品管理法》第九十八条",
        basis: "《中华人民共和国药品管理法》第一百一十七条",
        fine: (500, 100_000),
        big: 0.15,
        goods: &[("阿莫西林胶囊", "盒", 10, 30), ("头孢克肟片", "盒", 20, 45)],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "consumer_rights",
        weight: 4,
        causes: &[
            "拒不退还消费者预付款",
            "对消费者提出的修理、更换要求故意拖延",
        ],
        parties: &[
            PartyKind::Company(&[
                "教育培训有限公司",
                "健身服务有限公司",
                "汽车销售服务有限公司",
            ]),
            PartyKind::Shop(&["美容美发店", "洗衣店"]),
        ],
        violated: "《中华人民共和国消费者权益保护法》第五十三条",
        basis: "《中华人民共和国消费者权益保护法》第五十六条",
        fine: (5_000, 50_000),
        big: 0.02,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "registration",
        weight: 4,
        causes: &["未按规定办理变更登记", "提交虚假材料取得市场主体登记"],
        parties: &[PartyKind::Company(&[
            "商贸有限公司",
            "建筑工程有限公司",
            "农业开发有限公司",
        ])],
        violated: "《中华人民共和国市场主体登记管理条例》第二十四条",
        basis: "《中华人民共和国市场主体登记管理条例》第四十六条",
        fine: (5_000, 30_000),
        big: 0.0,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "contract_terms",
        weight: 2,
        causes: &["利用合同格式条款免除自身责任、排除消费者权利"],
        parties: &[PartyKind::Company(&[
            "房地产开发有限公司",
            "物业服务有限公司",
            "装饰工程有限公司",
        ])],
        violated: "《合同行政监督管理办法》第六条",
        basis: "《合同行政监督管理办法》第十八条",
        fine: (5_000, 30_000),
        big: 0.0,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
    CaseType {
        category: "special_equipment",
        weight: 2,
        causes: &["使用未经定期检验的电梯", "使用未经定期检验的压力容器"],
        parties: &[PartyKind::Company(&[
            "物业服务有限公司",
            "商贸城有限公司",
            "酒店管理有限公司",
        ])],
        violated: "《中华人民共和国特种设备安全法》第四十条",
        basis: "《中华人民共和国特种设备安全法》第八十四条",
        fine: (30_000, 100_000),
        big: 0.05,
        goods: &[],
        appraisal: None,
        campaign: None,
    },
];

/// Simple-procedure causes (行政处罚法 Art 51: ≤200 yuan for a citizen or a
/// 个体工商户, ≤3000 yuan for an organisation).
pub const SIMPLE_CAUSES: &[(&str, &str)] = &[
    ("price", "不按规定明码标价"),
    ("metrology", "使用未经检定的计量器具"),
    ("drug", "未凭处方销售处方药"),
    ("food", "经营场所未公示食品经营许可证"),
    (
        "registration",
        "未将营业执照置于住所或者主要经营场所的醒目位置",
    ),
];

/// Complaint subjects: (category code, item, problem type, price range yuan,
/// respondent business word, claim).
pub const COMPLAINT_SUBJECTS: &[(&str, &str, &str, u32, u32, &str, &str)] = &[
    (
        "goods.food",
        "月饼",
        "食品安全",
        60,
        400,
        "超市",
        "要求退货并按价款十倍赔偿",
    ),
    (
        "goods.food",
        "酸奶",
        "食品安全",
        10,
        80,
        "便利店",
        "要求退款并赔偿",
    ),
    (
        "goods.clothing",
        "羽绒服",
        "质量",
        300,
        1_800,
        "服装店",
        "要求退货退款",
    ),
    (
        "goods.clothing",
        "运动鞋",
        "质量",
        200,
        900,
        "鞋店",
        "要求更换或退款",
    ),
    (
        "goods.vehicles",
        "电动自行车",
        "售后服务",
        1_800,
        4_500,
        "电动车行",
        "要求修理或更换",
    ),
    (
        "goods.tobacco_liquor",
        "白酒",
        "假冒",
        500,
        6_000,
        "烟酒商行",
        "怀疑所购白酒为假冒，要求退款并赔偿",
    ),
    (
        "goods.jewellery",
        "金项链",
        "质量",
        3_000,
        20_000,
        "金店",
        "要求检测并退货",
    ),
    (
        "goods.cosmetics",
        "护肤品",
        "虚假宣传",
        200,
        2_000,
        "化妆品店",
        "要求退款",
    ),
    (
        "services.catering",
        "餐饮服务",
        "食品安全",
        100,
        1_200,
        "饭店",
        "要求赔偿医疗费用",
    ),
    (
        "services.sales",
        "手机",
        "售后服务",
        1_200,
        6_000,
        "手机店",
        "要求履行三包义务",
    ),
    (
        "services.parking",
        "停车服务",
        "价格",
        10,
        120,
        "停车场",
        "要求退还多收停车费",
    ),
    (
        "services.education",
        "课外培训",
        "预付卡",
        3_000,
        20_000,
        "培训学校",
        "要求退还剩余课时费用",
    ),
    (
        "services.sales",
        "健身卡",
        "预付卡",
        1_000,
        5_000,
        "健身房",
        "要求退还预付费用",
    ),
];

/// Report clues: (category, clue, respondent business word).
pub const REPORT_CLUES: &[(&str, &str, &str)] = &[
    (
        "trademark",
        "举报该店销售假冒贵州茅台酒，售价明显低于市场价",
        "烟酒商行",
    ),
    ("trademark", "举报该店销售假冒五粮液", "名酒行"),
    (
        "pyramid_selling",
        "举报有人以高额返利为诱饵发展下线，涉嫌传销",
        "健康咨询服务部",
    ),
    ("food", "举报该超市销售过期食品", "超市"),
    ("food", "举报该店使用地沟油加工食品", "小吃店"),
    (
        "unlicensed",
        "举报有人无照经营农资，销售来源不明的化肥",
        "农资店",
    ),
    (
        "advertising",
        "举报该公司发布保健品治病的虚假广告",
        "大药房",
    ),
    ("price", "举报该店虚构原价进行促销", "服装店"),
    (
        "unfair_competition.bribery",
        "举报该公司向医院采购人员给付回扣",
        "医药公司",
    ),
    ("metrology", "举报该摊位电子秤缺斤短两", "水果摊"),
];

/// Petition contents: (type, content).
pub const PETITION_CONTENTS: &[(&str, &str)] = &[
    ("claim", "反映某培训机构拒不退还预付学费，要求协调退费"),
    ("claim", "对投诉处理结果不满意，要求重新处理"),
    ("claim", "反映购买的商品房合同存在霸王条款，要求查处"),
    ("accusation", "反映农贸市场有商户缺斤短两，要求查处"),
    (
        "accusation",
        "反映某公司以投资养老项目为名非法集资，涉嫌传销",
    ),
    ("accusation", "反映某药店长期无证销售处方药"),
    ("accusation", "举报某酒行长期销售假冒名酒，执法人员查处不力"),
    ("suggestion", "建议加强校园周边食品安全监管"),
    ("suggestion", "建议规范农贸市场占道经营和计量器具管理"),
];
