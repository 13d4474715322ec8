// The inspection checklist (排查清单) of a county rectification campaign, as reference data.
// Source: seeds/003 (集中整改提升专项行动工作方案), section 三「整改提升要求」: four areas, 22 items.
// All Chinese text is copied verbatim from the seed (trimmed); English names are ours.
// The seed labels each item's checked content「工作内容」(encoded here as `checkpoints`) and names no
// responsible unit per item, so `leadDepartments` is left undefined throughout.

export interface ChecklistArea {
  /** '1'..'4' */
  code: string;
  /** e.g. 责任落实 */
  name: string;
  nameEn: string;
  /** The area's「主要排查……重点关注……」sentence. */
  summary: string;
}

export interface ChecklistItem {
  /** e.g. '1.1' */
  code: string;
  areaCode: string;
  /** Short Chinese title of the item. */
  name: string;
  nameEn: string;
  /** What is checked (the seed's「工作内容」). */
  checkpoints: string;
  /** The「工作要求」text. */
  requirements: string;
  /** 责任单位, when the source text names them (the seed does not). */
  leadDepartments?: string;
}

export const CHECKLIST_AREAS: readonly ChecklistArea[] = Object.freeze([
  {
    code: '1',
    name: '责任落实',
    nameEn: 'Responsibility implementation',
    summary:
      '主要排查巩固脱贫成果责任持续压紧压实情况，重点关注是否存在松劲懈怠、责任虚化、职能弱化现象。',
  },
  {
    code: '2',
    name: '政策落实',
    nameEn: 'Policy implementation',
    summary:
      '主要排查过渡期内脱贫人口、监测对象“三保障”、饮水安全、社会保障等政策落实情况，重点关注政策是否保持总体稳定、是否有效衔接，是否全面落地见效。',
  },
  {
    code: '3',
    name: '工作落实',
    nameEn: 'Work implementation',
    summary:
      '主要排查巩固脱贫成果同乡村振兴衔接重点工作接续推进情况，重点关注是否存在新要求落实不到位、工作衔接过渡中出现断档空白问题。',
  },
  {
    code: '4',
    name: '巩固成效',
    nameEn: 'Consolidation results',
    summary:
      '主要排查“两不愁三保障”和饮水安全状况、收入变化、扶贫资产管理、重点人群生活保障情况、干部群众认可满意等情况，重点关注是否存在“三保障”问题反弹、收入大幅波动问题和返贫致贫风险。',
  },
]);

export const CHECKLIST_ITEMS: readonly ChecklistItem[] = Object.freeze([
  {
    code: '1.1',
    areaCode: '1',
    name: '各级党委政府主体责任落实情况',
    nameEn: 'Primary responsibility of Party committees and governments at all levels',
    checkpoints:
      '县级、乡级党委、政府是否学习习近平总书记关于巩固拓展脱贫成果重要论述和党中央国务院决策部署、省委省政府和市委市政府安排相关要求；是否定期召开县委常委会、县政府常务会、县脱贫攻坚领导小组专题会及乡镇相关会议，研究巩固拓展脱贫攻坚成果相关内容；是否出台有关政策文件，落实“五级书记”抓脱贫成果巩固相关情况。',
    requirements:
      '定期学习习近平总书记关于巩固脱贫成果重要论述和相关工作要求，定期召开相关会议，出台相关文件，落实“五级书记”抓脱贫成果巩固。建立脱贫攻坚与乡村振兴月讲评制度，完善乡镇党委书记遍访边缘户监测户制度和村支部书记、驻村第一书记，每周走访边缘户监测户制度，并建立遍访问题台账。',
  },
  {
    code: '1.2',
    areaCode: '1',
    name: '行业部门责任落实情况',
    nameEn: 'Responsibility of sector departments',
    checkpoints:
      '行业部门贯彻落实上级党委、政府巩固脱贫成果决策部署，研究安排推进相关工作情况;严格落实“四个不摘”要求，调整优化、衔接落实政策及确保政策连续性情况。',
    requirements:
      '一是行业部门定期研究巩固脱贫攻坚成果工作，并做好会议记录，整理好相关资料；二是对接上级行业部门，梳理整理本行业各项衔接政策，确保政策的延续。',
  },
  {
    code: '1.3',
    areaCode: '1',
    name: '帮扶责任落实情况',
    nameEn: 'Assistance (helper) responsibility',
    checkpoints:
      '驻村工作队和第一书记、帮扶责任人开展帮扶工作和取得成效情况；驻村干部管理使用及作用发挥情况。',
    requirements:
      '一是制定完善驻村工作队考核管理办法；二是对驻村工作队在岗在位情况、工作开展情况进行明察暗访，发现问题及时解决，对工作开展不力的驻村干部召回调整；三是加强对驻村干部的业务培训，不断提升驻村干部能力素质；四是驻村工作单位当好驻村工作队后盾，加大扶持支持力度，取得良好驻村效果。',
  },
  {
    code: '1.4',
    areaCode: '1',
    name: '监管责任落实情况',
    nameEn: 'Oversight responsibility',
    checkpoints:
      '将巩固脱贫成果及乡村建设、乡村治理工作纳入乡镇党政领导班子和领导干部推进乡村振兴战略实绩考核范围的情况；将后评估结果作为干部选拔任用、评先奖优、问责追责的重要参考及落实情况；2021年以来考核评估、督查巡查、专项审计、暗访信访、媒体舆情等反映的问题整改落实情况。',
    requirements:
      '一是整理出台的干部选拔任用、成效考评、追责问责等政策文件、会议记录等相关资料；二是健全2021年、2022年问题整改台账，县级有整改方案、整改台账、整改报告，乡村两级有问题认领清单、整改台账，整改措施要结合实际，针对性强；三是建立涉贫信访和舆情风险管控长效机制，减少扶贫信访问题，确保不出现较大涉贫负面舆情。',
  },
  {
    code: '1.5',
    areaCode: '1',
    name: '能力作风建设情况',
    nameEn: 'Capability and work-style building',
    checkpoints:
      '结合“能力作风建设年”活动，开展教育培训，提升能力水平情况；党员干部持续弘扬脱贫攻坚精神，克服形式主义、官僚主义等情况；是否存在弄虚作假整改、工作浮漂不深入等情况。',
    requirements:
      '一是举办领导干部作风能力建设专题培训班，邀请专家对巩固衔接政策进行授课，增强党员领导干部对拓展衔接政策的认识；二是对各乡镇党委政府、县直各单位主要负责同志和分管领导，各村第一书记和支部书记等开展巩固衔接专题培训，提高干部业务能力和工作水平；三是县委巩固衔接八个督导组，不定期到各乡镇、各有关单位开展督导检查，明确责任，找出问题，强化整改。',
  },
  {
    code: '2.1',
    areaCode: '2',
    name: '教育扶持政策',
    nameEn: 'Education support policy',
    checkpoints:
      '主要是教育扶持政策调整优化、衔接落实情况；教育补贴资助政策落实率，义务教育阶段辍学学生劝返率，脱贫人口和监测对象家庭中义务教育阶段身体正常应当上学的适龄儿童、少年不因贫失学辍学以及采取措施劝学返校等情况，教育条件改善情况，脱贫户和监测户对教育扶持政策满意度。',
    requirements:
      '除身体原因不具备学习条件外,家庭义务教育阶段所有适龄儿童少年不失学辍学；教育资助政策“应知尽知”。资助资金“应助尽助”，按标准、程序和时间节点及时发放到位，不漏一人，实现“三个全覆盖”。',
  },
  {
    code: '2.2',
    areaCode: '2',
    name: '健康扶持政策',
    nameEn: 'Health support policy',
    checkpoints:
      '健康扶持政策调整优化、衔接落实情况；家庭医生签约相关政策制度是否完善，家庭医生服务质量情况，定点医院设立综合服务窗口情况，脱贫户、监测对象医疗费用县域内“一站式” 结算制度落实情况，“先诊疗、后付费”服务情况，脱贫户、监测对象户基本医疗、大病保险、大病补充保险、大病救助是否到位，是否存在个别脱贫户、监测对象户没有参加基本医疗保险、大病保险，政府补贴是否到位。慢性病卡是否做到应办尽办，是否存在办而未用等。',
    requirements:
      '一是家庭签约服务相关技术规范、服务流程和服务标准等制度完善，签约居民知晓率和满意度高；二是实行“先诊疗后付费”“一站式” 结算服务；三是对没有参保的脱贫户和监测对象要立即参保；四是慢性病卡发放和使用规范、便民。五是所有建档立卡精神病患者是否做到集中救治。六是脱贫户和监测户对健康扶持政策满意度等。',
  },
  {
    code: '2.3',
    areaCode: '2',
    name: '住房安全政策',
    nameEn: 'Housing safety policy',
    checkpoints:
      '查看农村低收入群体家庭住房保障政策是否到位、农村低收入群体家庭住房保障程序是否规范，C、D级危房改造是否彻底，是否存在危房改造标准质量差及未落实危房改造补助、未拆除旧房等政策规定情况；是否存在改造后由于自然灾害等原因房屋再次出现安全隐患；是否存在住房安全认定鉴定不规范等。',
    requirements:
      '落实农村低收入群体家庭住房保障政策和程序规范，对新发现C、D级危户的立即改造;脱贫户、监测户房屋鉴定符合规定要求。',
  },
  {
    code: '2.4',
    areaCode: '2',
    name: '饮水安全政策',
    nameEn: 'Drinking-water safety policy',
    checkpoints:
      '主要是饮水安全政策调整优化、衔接落实情况。重点关注饮水安全工程设施管护和长效机制建设情况；饮水安全排查、问题解决及效果；饮水安全保障水平提升、问题反弹等情况。',
    requirements:
      '一是工程维修。各类安全饮水因灾损毁工程及时维修、发挥作用；二是对脱贫户、监测对象户未用上自来水的立即接通；三是出具好每一季度水质达标化验单。',
  },
  {
    code: '2.5',
    areaCode: '2',
    name: '社会保障相关政策',
    nameEn: 'Social security policies',
    checkpoints:
      '重点关注农村低保、特困人员、孤儿、事实无人抚养儿童、临时救助、残疾人两项补贴等政策是否落实到位。',
    requirements:
      '对兜底保障政策应纳尽纳、应享尽享。确保农村低保、特困人员、孤儿、事实无人抚养儿童、临时救助、残疾人两项补贴等补贴资金按时按标准发放。',
  },
  {
    code: '3.1',
    areaCode: '3',
    name: '防止返贫动态监测和帮扶情况',
    nameEn: 'Dynamic monitoring and assistance to prevent return to poverty',
    checkpoints:
      '对健全防止返贫动态监测和帮扶机制是否进行部署培训；监测对象识别纳入及风险消除程序是否规范，档案资料是否完整，是否存在应纳未纳现象；防返贫监测APP录入资料是否完善；是否落实帮扶措施、监测户是否有帮扶人;排查是否做到“五个必到”，农户是否知情;“防返贫监测帮扶台账是否规范，巩固脱贫成果“七个一”工程是否落实。',
    requirements:
      '深入贯彻落实防止返贫动态监测和帮扶机制，及时化解返贫致贫风险。根据监测对象的致贫返贫风险，及时开展帮扶，确保防止返贫动态监测和帮扶工作扎实有效开展。',
  },
  {
    code: '3.2',
    areaCode: '3',
    name: '脱贫人口就业情况',
    nameEn: 'Employment of people lifted out of poverty',
    checkpoints:
      '查看脱贫劳动力务工就业情况，扶贫车间和光伏电站和运营情况，护林员等公益岗位设置是否合理，“雨露计划”发放情况等。',
    requirements:
      '光伏电站正常运营;扶贫车间正常安全生产，闲置比例不高于省定标准；脱贫劳动力稳岗就业，公益性岗位设置合理，台账、人员、电话、就业地相符，无“空岗、挂岗、冒名替岗、一人多岗”等现象;“雨露计划”按时、足额发放到位；培训对象精准、培训项目有针对性，培训后实现就业创业实效性；扶贫车间有政策支持，能够带动低收入群众就业增收；脱贫人口和监测对象人均纯收入增速高于当地农村居民人均可支配收入增速；确保我县脱贫人口和监测对象就业人数高于去年。',
  },
  {
    code: '3.3',
    areaCode: '3',
    name: '产业发展与帮扶情况',
    nameEn: 'Industry development and assistance',
    checkpoints:
      '主要是全县区域性支柱产业和特色产业发展状况、产业带动能力与措施持续推进、利益联结机制等情况。重点关注帮扶龙头企业、种植养殖扶贫基地、合作社、消费帮扶发展与带动情况;科技、电商、旅游等助推产业发展情况。',
    requirements:
      '产业项目稳步推进，特色产业良好发展，过渡期政策落实到位;省级、市级扶贫龙头企业正常生产，履行带贫约定。村内有特色主导产业，发展前景和势头良好，可持续增产增收，带贫机制完善，村集体经济收入来源稳定，年收入达5万元以上，且相关账目清晰。',
  },
  {
    code: '3.4',
    areaCode: '3',
    name: '金融支持情况',
    nameEn: 'Financial support',
    checkpoints:
      '小额信贷和精准扶贫企业贷款的发放情况，是否存在应贷未贷以及逾期不还情况。是否建立有免担保免抵押、基准利率放贷、财政贴息、县建风险补偿金工作机制；小额信贷是否落实精准用于发展生产；是否有追求户贷率、低额度覆盖等形式主义问题。',
    requirements:
      '过渡期内金融政策力度不减，贷款余额户数占比不低于全省平均水平，满足脱贫人口和监测对象小额信贷的需求，做到“应贷尽贷”。',
  },
  {
    code: '3.5',
    areaCode: '3',
    name: '风险防控情况',
    nameEn: 'Risk prevention and control',
    checkpoints:
      '一是产业扶持。是否存在产业扶贫项目投资失败、停滞搁浅、产前产中产后服务不到位、可持续发展能力弱等现象；是否存在扶贫龙头企业履行带贫责任不力，带贫企业倒闭致使贫困群众遭受连带损失等现象；扶贫产业等长期闲置、效益低下，村级光伏扶贫电站运维不善、收益分配不规范等问题。二是资金使用。是否存在2022年以前扶贫项目资金滞留和应拨未拨情况；扶贫小额贷款是否存在呆账坏账，不良贷款率、“户贷企用”问题。三是涉贫信访舆情。是否建立信访工作制度、涉贫信访机构人员、热线、经费等工作保障情况、涉贫信访热线公布情况等。有无涉贫信访舆情应对预案、工作台账等、对网络涉贫信访舆情有无常态化监测预警。',
    requirements:
      '各项政策贯彻落实到位，切实巩固拓展脱贫攻坚成果。',
  },
  {
    code: '3.6',
    areaCode: '3',
    name: '乡村建设情况',
    nameEn: 'Rural construction',
    checkpoints:
      '主要是各类基础设施和各项基本公共服务改善提升、农村厕所革命、农村生活污水垃圾治理、村庄清洁行动等乡村建设行动实施情况。',
    requirements:
      '一是基层综合性文化服务中心、电网改造、道路、公厕等扶贫项目管护规范；二是有稳定的保洁员队伍，保洁员人数不少于行政村人口的2‰，垃圾及时收集转运设；三是持续开展农村人居环境整治、坑塘整治和厕所革命，提高群众生活质量。',
  },
  {
    code: '3.7',
    areaCode: '3',
    name: '乡村治理情况',
    nameEn: 'Rural governance',
    checkpoints:
      '主要是积分制、清单制、数字化治理、网格化管理推广运用以及乡村精神文明建设等情况；农村基层组织建设等情况。',
    requirements:
      '加强基层组织建设，选优配强村干部；进一步推进网格化管理，充分发挥网格员的作用；大力弘扬社会主义核心价值观，加大村级新时代文明实践站建设力度，开展丰富多彩的活动，丰富群众精神文化生活。',
  },
  {
    code: '4.1',
    areaCode: '4',
    name: '巩固“两不愁三保障”和饮水安全成效',
    nameEn: 'Consolidating "two no-worries, three guarantees" and drinking-water safety',
    checkpoints:
      '主要关注脱贫人口和监测对象“两不愁三保障”和饮水安全巩固提升情况，监测户返贫致贫风险及时消除情况，村容村貌、户容户貌改善提升情况。',
    requirements:
      '教育、医疗、住房、饮水安全有保障，监测户返贫致贫风险及时消除，脱贫户用上卫生厕所，村容村貌“三无一眼净”，户容户貌干净整洁、规范有序。',
  },
  {
    code: '4.2',
    areaCode: '4',
    name: '收入变化情况',
    nameEn: 'Income changes',
    checkpoints:
      '农户是否有稳定可靠的收入来源和增长，年人均纯收入是否超出当年监测标准。重点查看脱贫户人均纯收入及收入结构,包括:工资性收入、生产经营性收入、财产性收入、转移性收入等收入变化情况。',
    requirements:
      '脱贫户人均不纳入监测户的要超过6900元的低收入群体监测线，脱贫户增幅要高于全县农民人均纯收入增长幅度，全县农民人均纯收入增长要高于全省平均增长幅度。',
  },
  {
    code: '4.3',
    areaCode: '4',
    name: '扶贫资产后续管理情况',
    nameEn: 'Follow-up management of poverty-alleviation assets',
    checkpoints:
      '扶贫项目资产方案和管理制度建立及落实情况，资产确权登记、公示公告情况，资产管理台账、资产公示公告、资产移交、资产管护运营、资产收益分配情况等。',
    requirements:
      '对2013年以来已实施的扶贫项目，逐项目排查扶贫项目资产确权登记情况，做到应纳尽纳。确权登记台账真实、准确，内容填报齐全，公示公告资料齐全，有资产移交手续，相关协议齐全。建立扶贫项目资产后续管理责任清单，健全各项管理制度，管好用好扶贫项目资产。',
  },
  {
    code: '4.4',
    areaCode: '4',
    name: '重点人群生活保障情况',
    nameEn: 'Living security of key groups',
    checkpoints:
      '关注留守老人、重度残疾人、困境儿童、低保户、特困户、多子女户等群体生产生活水平、兜底保障水平巩固提升以及居住环境改善等情况。',
    requirements:
      '认真落实低保、特困、残疾人两项补贴等政策，加大就业培训力度，提高重点人群收入。改善户容户貌，提高重点人群生活水平。',
  },
  {
    code: '4.5',
    areaCode: '4',
    name: '工作认可满意情况',
    nameEn: 'Recognition of and satisfaction with the work',
    checkpoints:
      '群众对脱贫成果巩固工作成效的认可度，重点排查群众对村“两委”干部的认可度、对驻村工作队和第一书记的认可度、对帮扶责任人的认可度、对本户脱贫（或解除风险）的认可度、对本村基础设施和公共服务的认可度、对政策落实的认可度等。',
    requirements:
      '要求各帮扶责任人在这次专项行动中，每周五要到脱贫户、监测对象中走访，熟悉掌握帮扶对象的基本情况、政策落实情况，完善帮扶计划、帮扶措施和走访纪录，帮助解决存在问题和实际困难，协助培训一户一个政策明白人。通过帮扶责任人、驻村干部、村干部加大走访力度和宣传力度，确保各项扶贫政策落地见效，让脱贫群众、监测对象对巩固工作六项认可全部满意。',
  },
]);

const ITEMS_BY_CODE: ReadonlyMap<string, ChecklistItem> = new Map(
  CHECKLIST_ITEMS.map((item) => [item.code, item]),
);

/** The checklist item with the given code ('1.1' … '4.5'), or undefined. */
export function checklistItem(code: string): ChecklistItem | undefined {
  return ITEMS_BY_CODE.get(code);
}

/** The checklist area with the given code ('1' … '4'), or undefined. */
export function checklistArea(code: string): ChecklistArea | undefined {
  return CHECKLIST_AREAS.find((area) => area.code === code);
}

/** The items of one area, in checklist order. */
export function checklistItemsOfArea(areaCode: string): readonly ChecklistItem[] {
  return CHECKLIST_ITEMS.filter((item) => item.areaCode === areaCode);
}
