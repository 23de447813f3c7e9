/**
 * Name parts for synthetic people: common Sichuan family names (most frequent first, repeated by
 * weight) and given-name characters. Every name built from them is invented.
 */
export const familyNames = [
  ...'李李李王王张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范廖邱熊付向雷',
]

export const givenMale = [...'伟强军平刚勇明辉建华国志兵德福贵海林成文斌洪涛超俊杰波宇浩鹏飞春生发富贤荣才安良旭东']
export const givenFemale = [...'芳秀英华玉兰珍琴梅丽敏静燕霞红艳萍娟翠凤蓉淑桂芬莉琳婷雪露佳欣慧群春菊容']
